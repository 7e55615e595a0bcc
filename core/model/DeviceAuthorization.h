#pragma once

#include "model/ScopeSet.h"

#include <QMetaType>
#include <QString>

namespace oauthsim {

// One device authorization request (RFC 8628 §3.1–§3.2): the device polls with device_code while the user enters
// user_code on the verification page and approves or denies it.
struct DeviceAuthorization
{
    enum class Status
    {
        Pending,  // waiting for the user
        Approved, // approved by `username`; the next poll gets the tokens
        Denied,   // the user said no
        Redeemed, // tokens were issued: the device code is used up
    };
    QString deviceCode;
    QString userCode; // as shown to the user: XXXX-XXXX
    QString clientId;
    ScopeSet scopes;
    qint64 issuedAtMs = 0;
    qint64 expiresAtMs = 0;
    int intervalSeconds = 5; // RFC 8628 §3.5: grows by 5 s with every slow_down
    qint64 lastPollMs = 0;   // 0 until the first token request
    Status status = Status::Pending;
    QString username; // once approved (or denied)
    quint64 flowId = 0;

    bool isExpired(qint64 nowMs) const { return nowMs >= expiresAtMs; }
};

} // namespace oauthsim

Q_DECLARE_METATYPE(oauthsim::DeviceAuthorization)

#pragma once

#include "model/DeviceAuthorization.h"

#include <QHash>
#include <QObject>

namespace oauthsim {

class Clock;
class TokenGenerator;

// Device authorizations (RFC 8628), found by device code (the device's polls) and by user code (the verification
// page). An expired authorization stays findable for a while, so a late poll learns expired_token rather than
// invalid_grant; purgeExpired() forgets it after that.
class DeviceCodeStore : public QObject
{
    Q_OBJECT
public:
    explicit DeviceCodeStore(const Clock &clock, QObject *parent = nullptr);

    // RFC 8628 §6.1: 8 characters, each uniform from the 20 consonants "BCDFGHJKLMNPQRSTVWXZ", shown as XXXX-XXXX.
    static QString newUserCode(TokenGenerator &random);
    // What a typed user code is compared as: upper case, dashes and whitespace removed (RFC 8628 §6.1).
    static QString normalizeUserCode(QStringView userCode);

    // Stores a new authorization; its device code and user code must not be taken (containsDeviceCode(),
    // containsUserCode()). Emits deviceAuthorizationIssued.
    void issue(const DeviceAuthorization &authorization);
    bool containsDeviceCode(const QString &deviceCode) const { return m_byDeviceCode.contains(deviceCode); }
    // Whether a user code is taken, compared normalised.
    bool containsUserCode(QStringView userCode) const;

    // nullptr when unknown or purged. Expired authorizations are still found: callers decide.
    const DeviceAuthorization *findByDeviceCode(const QString &deviceCode) const;
    // The authorization whose user code equals `userCode` once both are normalised, or nullptr.
    const DeviceAuthorization *findByUserCode(QStringView userCode) const;

    // `username` approved a pending, unexpired authorization. False (and nothing changes) otherwise.
    // Emits deviceAuthorizationApproved.
    bool approve(const QString &deviceCode, const QString &username);
    // `username` denied a pending, unexpired authorization. False (and nothing changes) otherwise.
    // Emits deviceAuthorizationDenied.
    bool deny(const QString &deviceCode, const QString &username);
    // Tokens were issued for an approved authorization: it is used up. False unless it was approved.
    // Emits deviceAuthorizationRedeemed.
    bool redeem(const QString &deviceCode);

    // How a poll relates to the polling interval.
    enum class Pace
    {
        InTime,  // the first poll, or at least the interval after the previous one
        TooFast, // sooner: the interval has now grown by 5 s
    };
    // Records a token request for `deviceCode` made now. RFC 8628 §3.5: a poll sooner than the interval after the
    // previous one is TooFast, and the interval grows by 5 s for this and all later polls. InTime, recording
    // nothing, for an unknown code. Emits nothing.
    Pace recordPoll(const QString &deviceCode);

    // Forgets authorizations expired for longer than the retention (10 minutes), emitting
    // deviceAuthorizationExpired for each. Returns how many.
    int purgeExpired();
    QList<DeviceAuthorization> all() const;
    qsizetype size() const { return m_byDeviceCode.size(); }
    // Forgets every authorization (reset of state). Emits cleared.
    void clear();

    static constexpr int kSlowDownSeconds = 5;             // RFC 8628 §3.5
    static constexpr qint64 kRetentionMs = 10 * 60 * 1000; // after expiry

Q_SIGNALS:
    void deviceAuthorizationIssued(const oauthsim::DeviceAuthorization &authorization);
    void deviceAuthorizationApproved(const oauthsim::DeviceAuthorization &authorization);
    void deviceAuthorizationDenied(const oauthsim::DeviceAuthorization &authorization);
    void deviceAuthorizationRedeemed(const oauthsim::DeviceAuthorization &authorization);
    void deviceAuthorizationExpired(const oauthsim::DeviceAuthorization &authorization);
    void cleared();

private:
    // The pending, unexpired authorization for `deviceCode`, or nullptr.
    DeviceAuthorization *pending(const QString &deviceCode);

    const Clock &m_clock;
    QHash<QString, DeviceAuthorization> m_byDeviceCode;
    QHash<QString, QString> m_deviceCodeByUserCode; // normalised user code → device code
};

} // namespace oauthsim

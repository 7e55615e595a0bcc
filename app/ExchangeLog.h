#pragma once

#include "model/ExchangeRecord.h"

#include <QByteArray>

namespace oauthsim {

// One log line per finished exchange: no query, no bodies, no headers — so no secrets.
class ExchangeLog
{
public:
    // "2026-11-28T21:52:01.123Z #12 POST /oauth/token 200 0.41ms client=messaging-client step=7 flow=3\n"
    static QByteArray text(const ExchangeRecord &record);
    // {"time":…,"id":12,"method":"POST","path":"/oauth/token","status":200,"duration_ms":0.41,
    //  "client_id":"messaging-client","flow":3,"step":7,"steps":[7]}\n
    static QByteArray json(const ExchangeRecord &record);
};

} // namespace oauthsim

#pragma once

#include "http/HttpExchange.h"

#include <functional>

namespace oauthsim {

// Where the reply to one request goes. Implemented by HttpFrontend over QtHttpServer's responder; tests may
// implement it directly. A channel whose client went away must ignore send() (writing to it would crash Qt 6.4).
class ReplyChannel
{
public:
    virtual ~ReplyChannel() = default;
    virtual bool isOpen() const = 0;
    virtual void send(const HttpResponse &response) = 0;
    // Called once if the client disconnects before send(); not called after send().
    virtual void setClosedHandler(std::function<void()> handler) = 0;
};

} // namespace oauthsim

#pragma once

#include "OAuthError.h"

#include <utility>
#include <variant>

namespace oauthsim {

// A value or the OAuthError that prevented it. No exceptions cross the event loop.
template <typename T> class Result
{
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(OAuthError error) : m_v(std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T &value() const { return std::get<0>(m_v); }
    T &value() { return std::get<0>(m_v); }
    const T *operator->() const { return &value(); }
    const OAuthError &error() const { return std::get<1>(m_v); }

private:
    std::variant<T, OAuthError> m_v;
};

} // namespace oauthsim

#pragma once

#include "tokens/TokenGenerator.h"

namespace oauthsim::test {

// Deterministic "random" bytes: a counter, so values are distinct and repeatable run to run.
class FixedTokenGenerator final : public TokenGenerator
{
public:
    QByteArray randomBytes(int n) override
    {
        QByteArray out(n, '\0');
        for (int i = 0; i < n; ++i)
            out[i] = char((m_counter * 7 + i * 13) & 0xff);
        ++m_counter;
        return out;
    }

private:
    quint64 m_counter = 1;
};

} // namespace oauthsim::test

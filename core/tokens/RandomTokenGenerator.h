#pragma once

#include "TokenGenerator.h"

namespace oauthsim {

// Production generator: the operating system's CSPRNG (QRandomGenerator::system()).
class RandomTokenGenerator final : public TokenGenerator
{
public:
    QByteArray randomBytes(int n) override;
};

} // namespace oauthsim

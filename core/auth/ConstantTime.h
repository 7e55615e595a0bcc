#pragma once

#include <QString>

namespace oauthsim {

// Compares secrets without an early exit, so response time does not reveal how many leading bytes matched.
bool constantTimeEquals(const QString &a, const QString &b);

} // namespace oauthsim

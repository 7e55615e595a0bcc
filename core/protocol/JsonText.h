#pragma once

#include <QByteArray>
#include <QStringView>

namespace oauthsim {

// JSON string literal (with quotes) for text. Used where key order is part of the wire contract
// (QJsonObject sorts keys) — the token response and error bodies.
QByteArray jsonQuote(QStringView text);

} // namespace oauthsim

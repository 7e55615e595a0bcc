#pragma once

#include "model/AuthorizationCode.h"

#include <QHash>
#include <QObject>

namespace oauthsim {

class Clock;

// Authorization codes. A code is single-use: consume() makes it unusable whatever happens next, and a
// consumed code is remembered (as a tombstone) for a while so that a replay can be detected and the
// tokens it produced revoked (RFC 6749 §4.1.2).
class CodeStore : public QObject
{
    Q_OBJECT
public:
    explicit CodeStore(const Clock &clock, QObject *parent = nullptr);

    // Stores a new pending code. Emits codeIssued.
    void issue(const AuthorizationCode &code);
    // Puts a saved code back as it was (pending or redeemed), without signals (state persistence).
    void restore(const AuthorizationCode &code);

    enum class Outcome
    {
        Consumed,
        Unknown,
        Expired,
        Replayed
    };
    struct Consumption
    {
        Outcome outcome = Outcome::Unknown;
        AuthorizationCode code; // filled for Consumed, Expired and Replayed
    };
    // Consumes a code. Consumed: emits codeConsumed. Expired: emits codeExpired and forgets it.
    // Replayed: emits codeReplayed; the caller revokes what the code produced.
    Consumption consume(const QString &code);

    // Removes expired pending codes (emitting codeExpired) and tombstones older than their retention.
    int purgeExpired();
    QList<AuthorizationCode> all() const;
    qsizetype size() const { return m_codes.size(); }
    // Forgets every code (reset of state). Emits cleared.
    void clear();
    // Whether a value is taken (pending or a tombstone).
    bool contains(const QString &code) const { return m_codes.contains(code); }

Q_SIGNALS:
    void codeIssued(const oauthsim::AuthorizationCode &code);
    void codeConsumed(const oauthsim::AuthorizationCode &code);
    void codeExpired(const oauthsim::AuthorizationCode &code);
    void codeReplayed(const oauthsim::AuthorizationCode &code);
    void cleared();

private:
    struct Entry
    {
        AuthorizationCode code;
        qint64 retainUntilMs = 0; // for tombstones
    };
    static constexpr qint64 kTombstoneMs = 10 * 60 * 1000;
    const Clock &m_clock;
    QHash<QString, Entry> m_codes;
};

} // namespace oauthsim

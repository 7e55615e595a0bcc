#include "DeviceCodeStore.h"

#include "Clock.h"
#include "tokens/TokenGenerator.h"

namespace oauthsim {

namespace {
// RFC 8628 §6.1: no vowels (no words), no digits, nothing easily confused.
constexpr char kUserCodeAlphabet[] = "BCDFGHJKLMNPQRSTVWXZ";
constexpr int kAlphabetSize = sizeof(kUserCodeAlphabet) - 1;
static_assert(kAlphabetSize == 20);
constexpr int kUserCodeLength = 8;
// Bytes at or above this would make some letters likelier than others: they are drawn again.
constexpr int kUniformBelow = 256 - 256 % kAlphabetSize; // 240
} // namespace

DeviceCodeStore::DeviceCodeStore(const Clock &clock, QObject *parent) : QObject(parent), m_clock(clock) {}

QString DeviceCodeStore::newUserCode(TokenGenerator &random)
{
    QString letters;
    letters.reserve(kUserCodeLength);
    while (letters.size() < kUserCodeLength) {
        for (const char byte : random.randomBytes(kUserCodeLength)) {
            const int value = static_cast<unsigned char>(byte);
            if (value < kUniformBelow && letters.size() < kUserCodeLength)
                letters += QLatin1Char(kUserCodeAlphabet[value % kAlphabetSize]);
        }
    }
    return letters.left(4) + QLatin1Char('-') + letters.mid(4);
}

QString DeviceCodeStore::normalizeUserCode(QStringView userCode)
{
    QString out;
    out.reserve(userCode.size());
    for (const QChar c : userCode) {
        if (c != QLatin1Char('-') && !c.isSpace())
            out += c.toUpper();
    }
    return out;
}

void DeviceCodeStore::issue(const DeviceAuthorization &authorization)
{
    m_byDeviceCode.insert(authorization.deviceCode, authorization);
    m_deviceCodeByUserCode.insert(normalizeUserCode(authorization.userCode), authorization.deviceCode);
    Q_EMIT deviceAuthorizationIssued(authorization);
}

bool DeviceCodeStore::containsUserCode(QStringView userCode) const
{
    return m_deviceCodeByUserCode.contains(normalizeUserCode(userCode));
}

const DeviceAuthorization *DeviceCodeStore::findByDeviceCode(const QString &deviceCode) const
{
    const auto it = m_byDeviceCode.constFind(deviceCode);
    return it == m_byDeviceCode.constEnd() ? nullptr : &*it;
}

const DeviceAuthorization *DeviceCodeStore::findByUserCode(QStringView userCode) const
{
    const QString normalized = normalizeUserCode(userCode);
    if (normalized.isEmpty())
        return nullptr;
    const auto it = m_deviceCodeByUserCode.constFind(normalized);
    return it == m_deviceCodeByUserCode.constEnd() ? nullptr : findByDeviceCode(*it);
}

DeviceAuthorization *DeviceCodeStore::pending(const QString &deviceCode)
{
    const auto it = m_byDeviceCode.find(deviceCode);
    if (it == m_byDeviceCode.end() || it->status != DeviceAuthorization::Status::Pending ||
        it->isExpired(m_clock.nowMs()))
        return nullptr;
    return &*it;
}

bool DeviceCodeStore::approve(const QString &deviceCode, const QString &username)
{
    DeviceAuthorization *authorization = pending(deviceCode);
    if (!authorization)
        return false;
    authorization->status = DeviceAuthorization::Status::Approved;
    authorization->username = username;
    Q_EMIT deviceAuthorizationApproved(*authorization);
    return true;
}

bool DeviceCodeStore::deny(const QString &deviceCode, const QString &username)
{
    DeviceAuthorization *authorization = pending(deviceCode);
    if (!authorization)
        return false;
    authorization->status = DeviceAuthorization::Status::Denied;
    authorization->username = username;
    Q_EMIT deviceAuthorizationDenied(*authorization);
    return true;
}

bool DeviceCodeStore::redeem(const QString &deviceCode)
{
    const auto it = m_byDeviceCode.find(deviceCode);
    if (it == m_byDeviceCode.end() || it->status != DeviceAuthorization::Status::Approved)
        return false;
    it->status = DeviceAuthorization::Status::Redeemed;
    Q_EMIT deviceAuthorizationRedeemed(*it);
    return true;
}

DeviceCodeStore::Pace DeviceCodeStore::recordPoll(const QString &deviceCode)
{
    const auto it = m_byDeviceCode.find(deviceCode);
    if (it == m_byDeviceCode.end())
        return Pace::InTime;
    const qint64 now = m_clock.nowMs();
    const bool tooFast = it->lastPollMs != 0 && now - it->lastPollMs < qint64(it->intervalSeconds) * 1000;
    it->lastPollMs = now;
    if (!tooFast)
        return Pace::InTime;
    // RFC 8628 §3.5: slow_down increases the interval by 5 seconds for this and all subsequent requests.
    it->intervalSeconds += kSlowDownSeconds;
    return Pace::TooFast;
}

int DeviceCodeStore::purgeExpired()
{
    const qint64 now = m_clock.nowMs();
    int removed = 0;
    for (auto it = m_byDeviceCode.begin(); it != m_byDeviceCode.end();) {
        if (now < it->expiresAtMs + kRetentionMs) {
            ++it;
            continue;
        }
        const DeviceAuthorization gone = *it;
        m_deviceCodeByUserCode.remove(normalizeUserCode(gone.userCode));
        it = m_byDeviceCode.erase(it);
        ++removed;
        Q_EMIT deviceAuthorizationExpired(gone);
    }
    return removed;
}

QList<DeviceAuthorization> DeviceCodeStore::all() const
{
    return m_byDeviceCode.values();
}

void DeviceCodeStore::clear()
{
    m_byDeviceCode.clear();
    m_deviceCodeByUserCode.clear();
    Q_EMIT cleared();
}

} // namespace oauthsim

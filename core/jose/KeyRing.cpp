#include "jose/KeyRing.h"

#include "Clock.h"
#include "secrets/SecretStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <algorithm>

namespace oauthsim {

namespace {
const QLatin1StringView kKid("kid");
const QLatin1StringView kCreated("created");
const QLatin1StringView kRetiredUntil("retired_until");
const QLatin1StringView kActive("active");

std::optional<QJsonArray> indexArray(const QString &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray())
        return std::nullopt;
    return doc.array();
}
} // namespace

KeyRing::KeyRing(const Clock &clock, QObject *parent)
    : QObject(parent), m_clock(clock), m_source([] { return RsaKey::generate(); })
{}

KeyRing::~KeyRing()
{
    if (m_worker) {
        m_worker->wait();
        delete m_worker.data();
    }
}

QString KeyRing::indexKey()
{
    return QStringLiteral("signing-keys");
}

QString KeyRing::keyName(const QString &kid)
{
    return QStringLiteral("signing-key/") + kid;
}

namespace {
// The kids an index value lists; empty for a missing or unreadable index.
QStringList indexedKids(const QString &indexJson)
{
    QStringList kids;
    const std::optional<QJsonArray> index = indexArray(indexJson);
    if (!index)
        return kids;
    for (const QJsonValue &v : *index) {
        const QString kid = v.toObject().value(kKid).toString();
        if (!kid.isEmpty())
            kids << kid;
    }
    return kids;
}
} // namespace

QStringList KeyRing::storedKeyNames(const QString &indexJson)
{
    QStringList names;
    for (const QString &kid : indexedKids(indexJson))
        names << keyName(kid);
    return names;
}

void KeyRing::setKeySource(KeySource source)
{
    m_source = std::move(source);
}

QString KeyRing::restore(const SecretStore &store)
{
    const QString indexValue = store.value(indexKey());
    if (indexValue.isNull())
        return {};
    const std::optional<QJsonArray> index = indexArray(indexValue);
    if (!index)
        return tr("the signing key index in the secret store is not a JSON array; new keys will be made");
    const qint64 now = m_clock.nowMs();
    QList<Entry> active;
    QList<Entry> retired;
    QStringList problems;
    QStringList unread; // named by the index but not delivered by the store (a locked keyring reads as absent)
    for (const QJsonValue &v : *index) {
        const QJsonObject o = v.toObject();
        const QString kid = o.value(kKid).toString();
        if (kid.isEmpty())
            continue;
        Entry entry;
        entry.createdMs = qint64(o.value(kCreated).toDouble());
        entry.retiredUntilMs = o.value(kActive).toBool() ? 0 : qint64(o.value(kRetiredUntil).toDouble());
        // A retired key past its time verifies nothing any more.
        if (!entry.isActive() && entry.retiredUntilMs <= now)
            continue;
        const QString pem = store.value(keyName(kid));
        if (pem.isNull()) {
            unread << kid;
            problems << tr("signing key %1 is named in the secret store's index but could not be read").arg(kid);
            continue;
        }
        entry.key = RsaKey::fromPrivatePem(pem.toLatin1());
        if (!entry.key.isValid() || entry.key.kid() != kid) {
            problems << tr("signing key %1 in the secret store is unusable (%2)")
                            .arg(kid, entry.key.isValid() ? tr("its key id differs") : entry.key.error());
            continue;
        }
        (entry.isActive() ? active : retired) << entry;
    }
    // One key signs: of several marked active (only a hand-edited index has that), the newest; the others are
    // dropped, as nothing says how long their tokens live.
    std::sort(active.begin(), active.end(), [](const Entry &a, const Entry &b) { return a.createdMs > b.createdMs; });
    std::sort(retired.begin(), retired.end(), [](const Entry &a, const Entry &b) { return a.createdMs > b.createdMs; });
    QList<Entry> entries;
    if (!active.isEmpty())
        entries << active.first();
    entries << retired;
    m_entries = entries;
    // What the store holds now: unusable keys left out above are removed from it by the next persist(); a key that
    // could not be read at all is never removed, it may come back once the store can be read.
    m_persistedKids = indexedKids(indexValue);
    for (const QString &kid : std::as_const(unread))
        m_persistedKids.removeAll(kid);
    m_persistedIndex = indexValue;
    Q_EMIT keysChanged();
    return problems.join(QLatin1String("; "));
}

void KeyRing::setSecretStore(SecretStore *store)
{
    m_store = store;
    persist();
}

RsaKey KeyRing::activeKey() const
{
    return hasKey() ? m_entries.first().key : RsaKey();
}

RsaKey KeyRing::find(const QString &kid) const
{
    const qint64 now = m_clock.nowMs();
    for (const Entry &e : m_entries) {
        if (e.key.kid() == kid && (e.isActive() || now < e.retiredUntilMs))
            return e.key;
    }
    return {};
}

QList<KeyRing::Entry> KeyRing::entries() const
{
    const qint64 now = m_clock.nowMs();
    QList<Entry> out;
    for (const Entry &e : m_entries) {
        if (e.isActive() || now < e.retiredUntilMs)
            out << e;
    }
    return out;
}

QByteArray KeyRing::jwks() const
{
    QByteArray out = "{\"keys\":[";
    bool first = true;
    for (const Entry &e : entries()) {
        if (!first)
            out += ',';
        first = false;
        out += e.key.publicJwkJson();
    }
    return out + "]}";
}

bool KeyRing::adopt(const RsaKey &key, int retainPreviousSeconds)
{
    if (!key.hasPrivateKey())
        return false;
    if (hasKey() && m_entries.first().key.kid() == key.kid())
        return true;
    const qint64 now = m_clock.nowMs();
    // A retired key coming back (a test key source cycling through fixtures) is active again, not listed twice.
    m_entries.removeIf([&](const Entry &e) { return e.key.kid() == key.kid(); });
    if (hasKey())
        m_entries.first().retiredUntilMs = now + qint64(std::max(retainPreviousSeconds, 0)) * 1000;
    m_entries.prepend(Entry{key, now, 0});
    dropExpired();
    persist();
    Q_EMIT keysChanged();
    return true;
}

void KeyRing::rotate(int retainPreviousSeconds)
{
    m_pendingRetention = std::max(m_pendingRetention, std::max(retainPreviousSeconds, 0));
    if (!isGenerating())
        startGeneration();
}

void KeyRing::ensureKey()
{
    if (hasKey()) {
        QMetaObject::invokeMethod(
            this, [this] { Q_EMIT ready(); }, Qt::QueuedConnection);
        return;
    }
    m_readyPending = true;
    if (!isGenerating())
        startGeneration();
}

void KeyRing::startGeneration()
{
    // The worker only runs the key source and writes into its own shared result; the result comes back to this
    // thread through the queued finished() connection (this object is its context, so a destroyed ring gets none).
    auto result = std::make_shared<RsaKey>();
    QThread *worker = QThread::create([source = m_source, result] { *result = source(); });
    worker->setObjectName(QStringLiteral("oauthsim-keygen"));
    m_worker = worker;
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    connect(worker, &QThread::finished, this, [this, result] {
        m_worker = nullptr;
        generated(*result);
    });
    worker->start(QThread::LowPriority);
}

void KeyRing::generated(const RsaKey &key)
{
    const int retention = std::max(m_pendingRetention, 0);
    m_pendingRetention = -1;
    if (!key.hasPrivateKey()) {
        Q_EMIT generationFailed(key.error().isEmpty() ? tr("the key source made no private key") : key.error());
        return;
    }
    adopt(key, retention);
    if (m_readyPending) {
        m_readyPending = false;
        Q_EMIT ready();
    }
}

bool KeyRing::dropExpired()
{
    const qint64 now = m_clock.nowMs();
    return m_entries.removeIf([now](const Entry &e) { return !e.isActive() && e.retiredUntilMs <= now; }) > 0;
}

int KeyRing::purgeExpired()
{
    const qsizetype before = m_entries.size();
    if (!dropExpired())
        return 0;
    persist();
    Q_EMIT keysChanged();
    return int(before - m_entries.size());
}

QString KeyRing::indexJson() const
{
    QJsonArray index;
    for (const Entry &e : m_entries) {
        index.append(QJsonObject{{kKid, e.key.kid()},
                                 {kCreated, double(e.createdMs)},
                                 {kRetiredUntil, double(e.retiredUntilMs)},
                                 {kActive, e.isActive()}});
    }
    return QString::fromUtf8(QJsonDocument(index).toJson(QJsonDocument::Compact));
}

void KeyRing::persist()
{
    if (!m_store)
        return;
    QStringList kids;
    for (const Entry &e : std::as_const(m_entries)) {
        kids << e.key.kid();
        // Keys are immutable: each is written once.
        if (!m_persistedKids.contains(e.key.kid()))
            m_store->store(keyName(e.key.kid()), QString::fromLatin1(e.key.privatePem()));
    }
    for (const QString &gone : std::as_const(m_persistedKids)) {
        if (!kids.contains(gone))
            m_store->remove(keyName(gone));
    }
    m_persistedKids = kids;
    const QString index = indexJson();
    if (index != m_persistedIndex) {
        m_store->store(indexKey(), index);
        m_persistedIndex = index;
    }
}

} // namespace oauthsim

#include "secrets/FileSecretStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSaveFile>

namespace oauthsim {

namespace {

constexpr QFileDevice::Permissions kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
// The bits that say who may do what; ReadUser etc. only describe the current process and are ignored.
constexpr QFileDevice::Permissions kModeBits = QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                               QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                               QFileDevice::WriteGroup | QFileDevice::ExeGroup |
                                               QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;

} // namespace

FileSecretStore::FileSecretStore(const QString &path, QObject *parent) : SecretStore(parent), m_path(path)
{
    m_writeTimer.setSingleShot(true);
    m_writeTimer.setInterval(kDefaultWriteDelay);
    connect(&m_writeTimer, &QTimer::timeout, this, &FileSecretStore::writeNow);
}

FileSecretStore::~FileSecretStore()
{
    if (m_dirtyKeys.isEmpty())
        return;
    ensureRead();
    if (m_state != FileState::Ready)
        return;
    if (const QString reason = writeFile(); !reason.isEmpty())
        qWarning("%s", qPrintable(reason)); // the reason names the file, never a secret
}

QString FileSecretStore::description() const
{
    return tr("owner-only file %1").arg(QDir::toNativeSeparators(m_path));
}

void FileSecretStore::load(const QStringList &keys)
{
    Q_UNUSED(keys); // the whole file is cached (see the header)
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_state == FileState::Unusable)
                m_state = FileState::NotRead; // a retry: the file may have been repaired or moved aside
            ensureRead();
            if (m_state == FileState::Unusable) {
                Q_EMIT unavailable(m_unusableReason);
                return;
            }
            Q_EMIT loaded();
        },
        Qt::QueuedConnection);
}

void FileSecretStore::store(const QString &key, const QString &value)
{
    m_cache.insert(key, value);
    markDirty(key);
}

void FileSecretStore::remove(const QString &key)
{
    m_cache.remove(key);
    markDirty(key);
}

void FileSecretStore::flush()
{
    if (!m_dirtyKeys.isEmpty())
        writeNow();
    QMetaObject::invokeMethod(
        this, [this] { Q_EMIT flushed(); }, Qt::QueuedConnection);
}

void FileSecretStore::markDirty(const QString &key)
{
    if (m_state != FileState::Ready)
        m_changedBeforeRead.insert(key);
    m_dirtyKeys.insert(key);
    // Not restarted by later calls: a burst is written once, at most writeDelay() after its first change.
    if (!m_writeTimer.isActive())
        m_writeTimer.start();
}

void FileSecretStore::ensureRead()
{
    if (m_state != FileState::NotRead)
        return;

    const auto unusable = [this](const QString &reason) {
        m_state = FileState::Unusable;
        m_unusableReason = reason;
    };
    const QString shownPath = QDir::toNativeSeparators(m_path);

    QFile file(m_path);
    if (!file.exists()) {
        m_state = FileState::Ready; // nothing stored yet
    } else {
        // An existing file readable by others is made owner-only before its content is even read.
        if ((file.permissions() & kModeBits) != kOwnerOnly && !file.setPermissions(kOwnerOnly)) {
            unusable(tr("The secrets file %1 is readable by other users and its mode could not be set to 0600: %2")
                         .arg(shownPath, file.errorString()));
            return;
        }
        if (!file.open(QIODevice::ReadOnly)) {
            unusable(tr("The secrets file %1 cannot be read: %2").arg(shownPath, file.errorString()));
            return;
        }
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (doc.isNull()) {
            unusable(tr("The secrets file %1 is corrupt (%2 at offset %3); it was left untouched.")
                         .arg(shownPath, parseError.errorString())
                         .arg(parseError.offset));
            return;
        }
        if (!doc.isObject()) {
            unusable(tr("The secrets file %1 is corrupt (not a JSON object); it was left untouched.").arg(shownPath));
            return;
        }
        const QJsonObject object = doc.object();
        QHash<QString, QString> entries;
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!it.value().isString()) {
                unusable(tr("The secrets file %1 is corrupt (the value of \"%2\" is not a string); it was left "
                            "untouched.")
                             .arg(shownPath, it.key()));
                return;
            }
            entries.insert(it.key(), it.value().toString());
        }
        for (auto it = entries.cbegin(); it != entries.cend(); ++it) {
            if (!m_changedBeforeRead.contains(it.key()))
                m_cache.insert(it.key(), it.value());
        }
        m_state = FileState::Ready;
    }
    m_changedBeforeRead.clear();
    // Changes made while the file was unusable are written now that it can be.
    if (!m_dirtyKeys.isEmpty() && !m_writeTimer.isActive())
        m_writeTimer.start();
}

void FileSecretStore::writeNow()
{
    m_writeTimer.stop();
    ensureRead();
    const QStringList keys(m_dirtyKeys.cbegin(), m_dirtyKeys.cend());
    QString reason;
    if (m_state == FileState::Unusable) {
        reason = m_unusableReason; // never overwrite the evidence; the keys stay pending for a later load()
    } else {
        reason = writeFile();
        m_dirtyKeys.clear(); // on failure too: the next write carries the whole cache anyway
        if (reason.isEmpty())
            ++m_writeCount;
    }
    QMetaObject::invokeMethod(
        this,
        [this, keys, reason] {
            const QPointer<FileSecretStore> self(this); // a receiver may delete this store
            for (const QString &key : keys) {
                if (!self)
                    return;
                if (reason.isEmpty())
                    Q_EMIT stored(key);
                else
                    Q_EMIT failed(key, reason);
            }
        },
        Qt::QueuedConnection);
}

QString FileSecretStore::writeFile() const
{
    const QString shownPath = QDir::toNativeSeparators(m_path);
    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath()))
        return tr("Cannot create the directory of the secrets file %1").arg(shownPath);

    QJsonObject object;
    for (auto it = m_cache.cbegin(); it != m_cache.cend(); ++it)
        object.insert(it.key(), it.value());

    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("Cannot write the secrets file %1: %2").arg(shownPath, file.errorString());
    // Owner-only before the first byte is written, so no secret ever sits in a file others can read.
    if (!file.setPermissions(kOwnerOnly)) {
        const QString error = file.errorString();
        file.cancelWriting();
        return tr("Cannot make the secrets file %1 owner-only: %2").arg(shownPath, error);
    }
    file.write(QJsonDocument(object).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return tr("Cannot write the secrets file %1: %2").arg(shownPath, file.errorString());
    return {};
}

} // namespace oauthsim

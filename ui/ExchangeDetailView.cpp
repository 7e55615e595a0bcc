#include "ExchangeDetailView.h"

#include "HarWriter.h"
#include "HttpText.h"
#include "models/RequestLogModel.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

namespace oauthsim {

namespace {

const QString kIndent = QStringLiteral("  ");

// "  name = value" a parameter, decoded the way the server's FormParser reads it.
QStringList formLines(const QByteArray &urlencoded)
{
    QStringList lines;
    for (const auto &[name, value] : HttpText::formPairs(urlencoded))
        lines << kIndent + name + QStringLiteral(" = ") + value;
    return lines;
}

QStringList headerLines(const HeaderList &headers)
{
    QStringList lines;
    for (const auto &[name, value] : headers)
        lines << kIndent + QString::fromUtf8(name) + QStringLiteral(": ") + QString::fromUtf8(value);
    return lines;
}

bool looksLikeJson(const HeaderList &headers, const QByteArray &body)
{
    if (HttpText::headerValue(headers, "Content-Type").toLower().contains("json"))
        return true;
    const QByteArray trimmed = body.trimmed();
    return trimmed.startsWith('{') || trimmed.startsWith('[');
}

// A titled block: the title, then its lines (or "(none)").
QString section(const QString &title, const QStringList &lines)
{
    return title + QLatin1Char('\n') +
           (lines.isEmpty() ? kIndent + ExchangeDetailView::tr("(none)") : lines.join(QLatin1Char('\n')));
}

QString bodyBlock(const QString &title, const HeaderList &headers, const QByteArray &body)
{
    if (looksLikeJson(headers, body))
        return title + QLatin1Char('\n') + ExchangeDetailView::prettyJson(body);
    // HTML and everything else: the source as sent.
    return title + QLatin1Char('\n') + QString::fromUtf8(body);
}

// Copies the JSON string opening at in[at] to *out; returns the index of its closing quote.
qsizetype copyJsonString(const QString &in, qsizetype at, QString *out)
{
    *out += in.at(at);
    for (qsizetype i = at + 1; i < in.size(); ++i) {
        *out += in.at(i);
        if (in.at(i) == QLatin1Char('\\') && i + 1 < in.size())
            *out += in.at(++i);
        else if (in.at(i) == QLatin1Char('"'))
            return i;
    }
    return in.size();
}

// The index of the closing bracket when the container opening at in[at] is empty, else -1.
qsizetype emptyContainerEnd(const QString &in, qsizetype at)
{
    qsizetype next = at + 1;
    while (next < in.size() && in.at(next).isSpace())
        ++next;
    const QChar close = in.at(at) == QLatin1Char('{') ? QLatin1Char('}') : QLatin1Char(']');
    return next < in.size() && in.at(next) == close ? next : -1;
}

QPlainTextEdit *makePane(const QString &objectName, const QString &accessibleName, QWidget *parent)
{
    auto *pane = new QPlainTextEdit(parent);
    pane->setObjectName(objectName);
    pane->setAccessibleName(accessibleName);
    pane->setReadOnly(true);
    pane->setLineWrapMode(QPlainTextEdit::NoWrap);
    pane->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return pane;
}

} // namespace

ExchangeDetailView::ExchangeDetailView(QWidget *parent) : QWidget(parent)
{
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("exchangeSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setAccessibleName(tr("Exchange summary"));

    m_reveal = new QToolButton(this);
    m_reveal->setObjectName(QStringLiteral("revealSecrets"));
    m_reveal->setText(tr("Reveal secrets"));
    m_reveal->setCheckable(true);
    m_reveal->setAccessibleName(tr("Reveal secrets of this request"));
    m_reveal->setToolTip(tr("Show the real client secret, password, cookies and tokens of this request only. "
                            "Selecting another request masks them again."));
    connect(m_reveal, &QToolButton::toggled, this, &ExchangeDetailView::setRevealed);

    m_copyCurl = new QPushButton(tr("Copy as curl"), this);
    m_copyCurl->setObjectName(QStringLiteral("copyAsCurl"));
    m_copyCurl->setAccessibleName(tr("Copy this request as a curl command"));
    m_copyCurl->setToolTip(tr("Copy a curl command that repeats this request. Secrets stay masked (******) in it "
                              "unless you reveal this request first."));
    connect(m_copyCurl, &QPushButton::clicked, this, &ExchangeDetailView::copyAsCurl);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_reveal);
    bar->addWidget(m_copyCurl);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("exchangeDetailSplitter"));
    m_request = makePane(QStringLiteral("requestText"), tr("Request"), m_splitter);
    m_response = makePane(QStringLiteral("responseText"), tr("Response"), m_splitter);
    m_request->setPlaceholderText(tr("Select a request to see what was sent."));
    m_response->setPlaceholderText(tr("Select a request to see what came back."));
    m_splitter->addWidget(m_request);
    m_splitter->addWidget(m_response);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_splitter, 1);
    render();
}

void ExchangeDetailView::showRecord(const ExchangeRecord &record)
{
    const bool same = m_record && m_record->id == record.id;
    m_record = record;
    if (!same)
        m_revealed = false;
    render();
}

void ExchangeDetailView::clearRecord()
{
    m_record.reset();
    m_revealed = false;
    render();
}

void ExchangeDetailView::setRevealed(bool revealed)
{
    const bool next = revealed && m_record.has_value();
    if (next == m_revealed && m_reveal->isChecked() == next)
        return;
    m_revealed = next;
    render();
}

void ExchangeDetailView::copyAsCurl()
{
    if (!m_record)
        return;
    const QString command =
        CurlCommand::build(*m_record, m_baseUrl, m_revealed ? SecretView::Revealed : SecretView::Masked);
    QGuiApplication::clipboard()->setText(command);
    Q_EMIT curlCopied(command);
}

QString ExchangeDetailView::requestText() const
{
    return m_request->toPlainText();
}

QString ExchangeDetailView::responseText() const
{
    return m_response->toPlainText();
}

void ExchangeDetailView::render()
{
    {
        const QSignalBlocker blocker(m_reveal);
        m_reveal->setChecked(m_revealed);
    }
    m_reveal->setEnabled(m_record.has_value());
    m_copyCurl->setEnabled(m_record.has_value());
    if (!m_record) {
        m_summary->clear();
        m_request->clear();
        m_response->clear();
        return;
    }
    const SecretView view = m_revealed ? SecretView::Revealed : SecretView::Masked;
    m_summary->setText(summary());
    m_request->setPlainText(formatRequest(*m_record, view));
    m_response->setPlainText(formatResponse(*m_record, view));
}

QString ExchangeDetailView::summary() const
{
    const ExchangeRecord &r = *m_record;
    QStringList parts{tr("Exchange %1").arg(r.id)};
    if (r.flowId != 0)
        parts << tr("flow %1").arg(r.flowId);
    if (!r.steps.isEmpty())
        parts << tr("step %1").arg(RequestLogModel::stepsText(r.steps));
    if (!r.clientId.isEmpty())
        parts << tr("client %1").arg(r.clientId);
    if (!r.username.isEmpty())
        parts << tr("user %1").arg(r.username);
    parts << tr("%1 ms").arg(RequestLogModel::durationText(r.durationMs));
    if (!r.remoteAddress.isEmpty())
        parts << tr("from %1").arg(r.remoteAddress);
    return parts.join(QStringLiteral(" · "));
}

QString ExchangeDetailView::formatRequest(const ExchangeRecord &record, SecretView view)
{
    const bool reveal = view == SecretView::Revealed;
    const ExchangeRecord masked = reveal ? ExchangeRecord() : RequestLogModel::withTokensMasked(record);
    const QByteArray &query = reveal ? record.revealedQuery : masked.query;
    const HeaderList &headers = reveal ? record.revealedRequestHeaders : masked.requestHeaders;
    const QByteArray &body = reveal ? record.revealedRequestBody : masked.requestBody;

    QStringList blocks{QString::fromLatin1(record.method) + QLatin1Char(' ') +
                       CurlCommand::requestUrl(QString(), record.path, query) + QStringLiteral(" HTTP/1.1")};
    blocks << section(tr("Headers"), headerLines(headers));
    if (!query.isEmpty())
        blocks << section(tr("Query parameters"), formLines(query));
    if (!body.isEmpty()) {
        if (HttpText::headerValue(headers, "Content-Type").toLower().startsWith("application/x-www-form-urlencoded"))
            blocks << section(tr("Body parameters"), formLines(body));
        else
            blocks << bodyBlock(tr("Body"), headers, body);
    }
    return blocks.join(QStringLiteral("\n\n"));
}

QString ExchangeDetailView::formatResponse(const ExchangeRecord &record, SecretView view)
{
    const bool reveal = view == SecretView::Revealed;
    const ExchangeRecord masked = reveal ? ExchangeRecord() : RequestLogModel::withTokensMasked(record);
    const HeaderList &headers = reveal ? record.revealedResponseHeaders : masked.responseHeaders;
    const QByteArray &body = reveal ? record.responseBody : masked.responseBody;

    QString statusLine =
        QStringLiteral("HTTP/1.1 %1 %2").arg(record.status).arg(HarWriter::reasonPhrase(record.status));
    if (record.outcome == ExchangeRecord::Outcome::ClientGone)
        statusLine += QLatin1Char('\n') + tr("Not delivered: the client closed the connection before this reply "
                                             "was sent.");
    QStringList blocks{statusLine.trimmed()};
    blocks << section(tr("Headers"), headerLines(headers));
    if (!body.isEmpty())
        blocks << bodyBlock(tr("Body"), headers, body);
    if (!record.debugDetail.isEmpty())
        blocks << section(tr("Server note (logged only, not sent)"), {kIndent + record.debugDetail});
    return blocks.join(QStringLiteral("\n\n"));
}

QString ExchangeDetailView::prettyJson(const QByteArray &json)
{
    QJsonParseError error;
    QJsonDocument::fromJson(json, &error);
    const QString in = QString::fromUtf8(json);
    if (error.error != QJsonParseError::NoError)
        return in;
    QString out;
    int depth = 0;
    const auto newline = [&] { out += QLatin1Char('\n') + QString(depth * 2, QLatin1Char(' ')); };
    for (qsizetype i = 0; i < in.size(); ++i) {
        const QChar c = in.at(i);
        if (c == QLatin1Char('"')) {
            i = copyJsonString(in, i, &out);
        } else if (c == QLatin1Char('{') || c == QLatin1Char('[')) {
            const qsizetype close = emptyContainerEnd(in, i);
            out += c;
            if (close >= 0) { // an empty container stays on one line
                out += in.at(close);
                i = close;
                continue;
            }
            ++depth;
            newline();
        } else if (c == QLatin1Char('}') || c == QLatin1Char(']')) {
            --depth;
            newline();
            out += c;
        } else if (c == QLatin1Char(',')) {
            out += c;
            newline();
        } else if (c == QLatin1Char(':')) {
            out += QStringLiteral(": ");
        } else if (!c.isSpace()) {
            out += c;
        }
    }
    return out;
}

} // namespace oauthsim

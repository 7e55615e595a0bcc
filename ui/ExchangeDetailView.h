#pragma once

#include "CurlCommand.h"
#include "model/ExchangeRecord.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSplitter;
class QToolButton;

namespace oauthsim {

// The detail pane of the Requests tab: the request (line, headers, decoded query and body parameters) beside the
// response (status line, headers, body with JSON pretty-printed and HTML as source). Secrets are masked unless
// the user reveals this one exchange; "Copy as curl" repeats the request from a shell.
class ExchangeDetailView : public QWidget
{
    Q_OBJECT
public:
    explicit ExchangeDetailView(QWidget *parent = nullptr);

    // Shows a record. The reveal toggle is switched off unless it is the exchange already shown (a held reply
    // completing keeps what the user chose for it).
    void showRecord(const ExchangeRecord &record);
    void clearRecord();
    bool hasRecord() const { return m_record.has_value(); }
    // The exchange shown, or 0.
    quint64 exchangeId() const { return m_record ? m_record->id : 0; }
    bool isRevealed() const { return m_revealed; }
    // "http://HOST:PORT" the curl command is aimed at.
    void setBaseUrl(const QString &baseUrl) { m_baseUrl = baseUrl; }
    QString baseUrl() const { return m_baseUrl; }
    // What the two panes show now.
    QString requestText() const;
    QString responseText() const;

    static QString formatRequest(const ExchangeRecord &record, SecretView view);
    static QString formatResponse(const ExchangeRecord &record, SecretView view);
    // Indented JSON in the member order of the input (QJsonDocument would sort keys); the input when not JSON.
    static QString prettyJson(const QByteArray &json);

public Q_SLOTS:
    // Shows the real values of this exchange (ignored when nothing is shown).
    void setRevealed(bool revealed);
    // Puts CurlCommand::build() for the shown exchange on the clipboard: revealed values only while revealed.
    void copyAsCurl();

Q_SIGNALS:
    void curlCopied(const QString &command);

private:
    void render();
    QString summary() const;

    std::optional<ExchangeRecord> m_record;
    bool m_revealed = false;
    QString m_baseUrl;
    QLabel *m_summary = nullptr;
    QToolButton *m_reveal = nullptr;
    QPushButton *m_copyCurl = nullptr;
    QSplitter *m_splitter = nullptr;
    QPlainTextEdit *m_request = nullptr;
    QPlainTextEdit *m_response = nullptr;
};

} // namespace oauthsim

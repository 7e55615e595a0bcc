#pragma once

#include <QObject>

namespace oauthsim {

// Turns SIGINT and SIGTERM into a Qt signal on the event loop (self-pipe), so shutdown runs as normal code.
// One per process.
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);

Q_SIGNALS:
    void terminationRequested();
};

} // namespace oauthsim

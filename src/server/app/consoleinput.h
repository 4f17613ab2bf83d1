#pragma once

#include <QByteArray>
#include <QObject>

class QSocketNotifier;

// Reads commands typed on the terminal that started the headless server (stdin), without
// blocking the event loop.
class ConsoleInput : public QObject
{
    Q_OBJECT

public:
    explicit ConsoleInput(QObject *parent = nullptr);

    // Only a terminal is read: under a service manager stdin is /dev/null or a pipe.
    static bool isInteractive();

Q_SIGNALS:
    void lineEntered(const QString &line);

private:
    void readInput();

    QSocketNotifier *m_notifier;
    QByteArray m_pending;
};

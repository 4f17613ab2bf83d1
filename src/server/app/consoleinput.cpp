#include "consoleinput.h"

#include <QSocketNotifier>

#include <unistd.h>

namespace {
constexpr qsizetype maxConsoleLine = 1024;
}

ConsoleInput::ConsoleInput(QObject *parent)
    : QObject(parent), m_notifier(new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this))
{
    connect(m_notifier, &QSocketNotifier::activated, this, &ConsoleInput::readInput);
}

bool ConsoleInput::isInteractive()
{
    return ::isatty(STDIN_FILENO) == 1;
}

void ConsoleInput::readInput()
{
    char buffer[512];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n <= 0) {
        // End of input (Ctrl+D) or an error: stop watching, the server keeps running.
        m_notifier->setEnabled(false);
        return;
    }
    m_pending.append(buffer, n);
    qsizetype newline;
    while ((newline = m_pending.indexOf('\n')) >= 0) {
        const QByteArray line = m_pending.left(newline).trimmed();
        m_pending.remove(0, newline + 1);
        Q_EMIT lineEntered(QString::fromUtf8(line));
    }
    if (m_pending.size() > maxConsoleLine)
        m_pending.clear();
}

#include "logcollector.h"

#include <QPointer>

#include <cstdio>

namespace {

QPointer<LogCollector> collector;
QtMessageHandler previousHandler = nullptr;

} // namespace

LogCollector::LogCollector(QObject *parent) : QObject(parent)
{
    collector = this;
    previousHandler = qInstallMessageHandler(&LogCollector::handle);
}

LogCollector::~LogCollector()
{
    qInstallMessageHandler(previousHandler);
    previousHandler = nullptr;
}

void LogCollector::handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (previousHandler)
        previousHandler(type, context, message);
    else
        std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
    if (!collector || qstrcmp(context.category, "groupchat.server") != 0)
        return;
    const QString line = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss  ")) + message;
    const bool isWarning = type == QtWarningMsg || type == QtCriticalMsg || type == QtFatalMsg;
    // Queued: a log line can be written from inside a model change or a paint.
    QMetaObject::invokeMethod(
            collector,
            [line, isWarning] {
                if (collector)
                    collector->append(line, isWarning);
            },
            Qt::QueuedConnection);
}

void LogCollector::append(const QString &line, bool isWarning)
{
    m_lines.append(line);
    if (m_lines.size() > maxLines)
        m_lines.removeFirst();
    Q_EMIT lineLogged(line, isWarning);
}

#include "logcollector.h"

#include "serverlog.h"

#include <QPointer>

LogCollector::LogCollector(QObject *parent) : QObject(parent)
{
    ServerLog::install();
    QPointer<LogCollector> self(this);
    ServerLog::setSink([self](QtMsgType type, const QMessageLogContext &context, const QString &message) {
        if (qstrcmp(context.category, "groupchat.server") != 0)
            return;
        const QString line = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss  ")) + message;
        const bool isWarning = type == QtWarningMsg || type == QtCriticalMsg || type == QtFatalMsg;
        // Queued: a log line can be written from inside a model change or a paint, or from
        // another thread.
        QMetaObject::invokeMethod(
                self.data(),
                [self, line, isWarning] {
                    if (self)
                        self->append(line, isWarning);
                },
                Qt::QueuedConnection);
    });
}

LogCollector::~LogCollector()
{
    ServerLog::setSink({});
}

void LogCollector::append(const QString &line, bool isWarning)
{
    m_lines.append(line);
    if (m_lines.size() > maxLines)
        m_lines.removeFirst();
    Q_EMIT lineLogged(line, isWarning);
}

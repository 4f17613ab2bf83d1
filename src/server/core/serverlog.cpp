#include "serverlog.h"

#include "textsanitizer.h"

#include <QMutex>

#include <cstdio>

Q_LOGGING_CATEGORY(lcServer, "groupchat.server")

namespace {

QtMessageHandler previousHandler = nullptr;
bool installed = false;
QMutex sinkMutex;
ServerLog::Sink sink;

void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    // Escapes only what would break a line or hide in one; backslashes are our own text's.
    const QString line = TextSanitizer::escaped(message, false);
    if (previousHandler)
        previousHandler(type, context, line);
    else
        std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, line)));
    const QMutexLocker lock(&sinkMutex);
    if (sink)
        sink(type, context, line);
}

} // namespace

void ServerLog::install()
{
    if (std::exchange(installed, true))
        return;
    previousHandler = qInstallMessageHandler(&handle);
}

void ServerLog::setSink(Sink newSink)
{
    const QMutexLocker lock(&sinkMutex);
    sink = std::move(newSink);
}

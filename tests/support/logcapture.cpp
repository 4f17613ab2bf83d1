#include "logcapture.h"

#include <QtGlobal>

namespace {

QStringList captured;
QtMessageHandler previousHandler = nullptr;

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    captured.append(message);
    if (previousHandler)
        previousHandler(type, context, message);
}

} // namespace

void LogCapture::install()
{
    previousHandler = qInstallMessageHandler(capture);
}

void LogCapture::clear()
{
    captured.clear();
}

const QStringList &LogCapture::lines()
{
    return captured;
}

int LogCapture::linesContaining(const QString &text)
{
    int n = 0;
    for (const QString &line : std::as_const(captured))
        n += line.contains(text) ? 1 : 0;
    return n;
}

#pragma once

#include <QString>
#include <QStringList>

// Every log line the process writes from install() on, for tests that check what was logged
// ("logged once", "escaped"). Lines still reach the previous message handler (the test log).
// One per process: Qt has one message handler.
class LogCapture
{
public:
    // Installs the capturing handler; call once, from initTestCase().
    static void install();
    // Forgets what was captured so far (from init(), so that each test sees its own lines).
    static void clear();
    // The lines captured since the last clear(), oldest first, as Qt formatted them.
    static const QStringList &lines();
    // How many of those lines contain text.
    static int linesContaining(const QString &text);
};

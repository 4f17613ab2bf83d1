#pragma once

#include <QDateTime>
#include <QObject>
#include <QStringList>

// Gathers the server's log lines (category groupchat.server, escaped by ServerLog) for the
// admin window while they still go to standard error as before. Keeps the last maxLines of
// them.
class LogCollector : public QObject
{
    Q_OBJECT

public:
    static constexpr int maxLines = 2000;

    // Installs ServerLog's handler and is its sink for as long as it lives; one at a time.
    explicit LogCollector(QObject *parent = nullptr);
    ~LogCollector() override;

    // "HH:mm:ss text", oldest first.
    QStringList lines() const { return m_lines; }

Q_SIGNALS:
    void lineLogged(const QString &line, bool isWarning);

private:
    void append(const QString &line, bool isWarning);

    QStringList m_lines;
};

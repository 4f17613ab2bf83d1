#pragma once

#include <QLineEdit>
#include <QStringList>

// The input line: Up and Down walk through what was sent before, like a shell.
class ChatInput : public QLineEdit
{
    Q_OBJECT

public:
    static constexpr int historySize = 100;

    explicit ChatInput(QWidget *parent = nullptr);

    // Adds a sent line to the history and clears the input.
    void remember(const QString &line);
    QStringList history() const { return m_history; }

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    QStringList m_history; // oldest first
    int m_position = 0; // m_history.size() while editing a new line
    QString m_draft; // what was typed before walking into the history
};

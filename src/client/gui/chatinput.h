#pragma once

#include "tabcompleter.h"

#include <QLineEdit>
#include <QStringList>

#include <functional>

// The input line: Up and Down walk through what was sent before, like a shell; Tab completes
// nicks, #rooms, /commands and :shortcodes: (TabCompleter), Shift+Tab cycles back. Where there
// is nothing to complete Tab moves the focus on as usual, so the window stays usable without a
// mouse.
class ChatInput : public QLineEdit
{
    Q_OBJECT

public:
    static constexpr int historySize = 100;

    explicit ChatInput(QWidget *parent = nullptr);

    // Adds a sent line to the history and clears the input.
    void remember(const QString &line);
    QStringList history() const { return m_history; }

    // Where Tab finds what to complete to, asked at each Tab (the people and rooms change).
    void setCompletionCandidates(std::function<TabCompleter::Candidates()> candidates)
    {
        m_candidates = std::move(candidates);
    }

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    // A whole ":shortcode:" just typed becomes its emoji.
    void replaceShortcode();

    QStringList m_history; // oldest first
    int m_position = 0; // m_history.size() while editing a new line
    QString m_draft; // what was typed before walking into the history
    std::function<TabCompleter::Candidates()> m_candidates;
    TabCompleter m_completer;
};

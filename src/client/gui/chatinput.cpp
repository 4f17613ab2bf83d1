#include "chatinput.h"

#include <QKeyEvent>

ChatInput::ChatInput(QWidget *parent) : QLineEdit(parent) { }

void ChatInput::remember(const QString &line)
{
    if (!line.isEmpty() && (m_history.isEmpty() || m_history.constLast() != line))
        m_history.append(line);
    if (m_history.size() > historySize)
        m_history.removeFirst();
    m_position = int(m_history.size());
    m_draft.clear();
    clear();
}

void ChatInput::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Up && event->modifiers() == Qt::NoModifier) {
        if (m_position > 0) {
            if (m_position == m_history.size())
                m_draft = text();
            setText(m_history.at(--m_position));
        }
        return;
    }
    if (event->key() == Qt::Key_Down && event->modifiers() == Qt::NoModifier) {
        if (m_position < m_history.size()) {
            ++m_position;
            setText(m_position == m_history.size() ? m_draft : m_history.at(m_position));
        }
        return;
    }
    QLineEdit::keyPressEvent(event);
}

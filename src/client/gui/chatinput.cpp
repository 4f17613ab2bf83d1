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

bool ChatInput::event(QEvent *event)
{
    // Tab is taken for focus changes before keyPressEvent() sees it (QWidget::event).
    if (event->type() == QEvent::KeyPress && m_candidates && !text().isEmpty()) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const bool tab = key->key() == Qt::Key_Tab || key->key() == Qt::Key_Backtab;
        if (tab && !(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier))) {
            const bool backward = key->key() == Qt::Key_Backtab || (key->modifiers() & Qt::ShiftModifier);
            if (const auto completed =
                        m_completer.complete(text(), cursorPosition(), m_candidates(), backward)) {
                setText(completed->text);
                setCursorPosition(completed->cursor);
            }
            event->accept();
            return true;
        }
    }
    return QLineEdit::event(event);
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

#include "chatinput.h"

#include "emojicatalog.h"

#include <QKeyEvent>
#include <QRegularExpression>

ChatInput::ChatInput(QWidget *parent) : QLineEdit(parent)
{
    connect(this, &QLineEdit::textEdited, this, &ChatInput::replaceShortcode);
}

void ChatInput::replaceShortcode()
{
    // ":thumbs_up:" typed to its closing colon becomes 👍, as in Slack; only a known CLDR
    // shortcode, and only a whole word (not the "12:30:" of a time).
    static const QRegularExpression closed(QStringLiteral("(?:^|\\s):([a-z0-9_+-]{2,}):$"),
                                           QRegularExpression::CaseInsensitiveOption);
    const QString before = text().left(cursorPosition());
    const QRegularExpressionMatch match = closed.match(before);
    if (!match.hasMatch())
        return;
    const EmojiCatalog::Emoji *emoji = EmojiCatalog::instance().byShortcode(match.captured(1));
    if (!emoji)
        return;
    const qsizetype start = match.capturedStart(1) - 1;
    const QString after = text().mid(cursorPosition());
    const QString replaced = before.left(start) + emoji->text;
    setText(replaced + after);
    setCursorPosition(int(replaced.size()));
}

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
            // Nothing to complete: Tab moves the focus on, so keyboard users are never caught.
            if (const auto completed =
                        m_completer.complete(text(), cursorPosition(), m_candidates(), backward)) {
                setText(completed->text);
                setCursorPosition(completed->cursor);
                event->accept();
                return true;
            }
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

#include "conversationview.h"

#include "emojitext.h"
#include "messagemodel.h"
#include "nickcolor.h"

#include <QApplication>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMimeData>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocumentFragment>
#include <QToolButton>
#include <QWheelEvent>

#include <memory>
#include <utility>

namespace {

// Marks blocks that are not entries, so they can be found again.
enum BlockState { EntryBlock = 0, DayBlock = 1, MarkerBlock = 2 };

// Unicode bidirectional isolation (UAX #9): whatever a nick or a message holds, right-to-left
// letters or direction controls, it is laid out on its own and cannot reorder or run into the
// time, the nick or the text beside it.
constexpr QChar firstStrongIsolate(0x2068);
constexpr QChar popDirectionalIsolate(0x2069);

const QRegularExpression &linkPattern()
{
    static const QRegularExpression pattern(QStringLiteral(R"((?:https?://|mailto:|www\.)[^\s<>"]+)"),
                                            QRegularExpression::CaseInsensitiveOption);
    return pattern;
}

QString isolated(const QString &text)
{
    return firstStrongIsolate + text + popDirectionalIsolate;
}

QColor mix(const QColor &a, const QColor &b, qreal amountOfB)
{
    return QColor::fromRgbF(float(a.redF() * (1 - amountOfB) + b.redF() * amountOfB),
                            float(a.greenF() * (1 - amountOfB) + b.greenF() * amountOfB),
                            float(a.blueF() * (1 - amountOfB) + b.blueF() * amountOfB));
}

// The installed colour emoji font (Debian's fonts-noto-color-emoji first), empty when none is.
QString emojiFamily()
{
    static const QString family = [] {
        const QStringList installed = QFontDatabase::families();
        for (const QString &candidate :
             { QStringLiteral("Noto Color Emoji"), QStringLiteral("Twemoji"), QStringLiteral("JoyPixels"),
               QStringLiteral("Apple Color Emoji"), QStringLiteral("Segoe UI Emoji") }) {
            if (installed.contains(candidate))
                return candidate;
        }
        return QString();
    }();
    return family;
}

// Inserts text in format, its emoji (EmojiText) in the colour emoji font: with the text font
// first, a font that has black-and-white emoji (DejaVu Sans) would draw them.
void insertWithEmoji(QTextCursor &cursor, QStringView text, const QTextCharFormat &format)
{
    const QList<EmojiText::Run> runs =
            emojiFamily().isEmpty() ? QList<EmojiText::Run>() : EmojiText::runs(text);
    QTextCharFormat emoji = format;
    emoji.setFontFamilies(QStringList{ emojiFamily() });
    qsizetype at = 0;
    for (const EmojiText::Run &run : runs) {
        cursor.insertText(text.sliced(at, run.start - at).toString(), format);
        cursor.insertText(text.sliced(run.start, run.length).toString(), emoji);
        at = run.start + run.length;
    }
    cursor.insertText(text.sliced(at).toString(), format);
}

} // namespace

ConversationView::ConversationView(QWidget *parent)
    : QPlainTextEdit(parent), m_belowButton(new QToolButton(this)), m_olderLabel(new QLabel(this))
{
    setReadOnly(true);
    // Read-only: Tab has nothing to insert, so it moves on, for keyboard users.
    setTabChangesFocus(true);
    setUndoRedoEnabled(false);
    setCenterOnScroll(false);
    viewport()->setMouseTracking(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard |
                            Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    document()->setDocumentMargin(8);

    // Whether the view follows the conversation is the user's choice, made by scrolling: the
    // layout's own moves (a resize re-wraps lines and keeps the top line, which leaves the
    // bottom) never decide it. Reaching the bottom, by any way, does.
    QScrollBar *bar = verticalScrollBar();
    connect(bar, &QAbstractSlider::actionTriggered, this, &ConversationView::userScrolled);
    connect(bar, &QAbstractSlider::valueChanged, this, &ConversationView::scrolled);
    connect(bar, &QAbstractSlider::rangeChanged, this, [this, bar] {
        if (m_followBottom && !m_rebuilding)
            bar->setValue(bar->maximum());
        // A shorter document (a wider window) pulls a reader's value down to the new end
        // right after this signal: that is not the user going to the bottom.
        m_clamping = !m_followBottom && bar->value() > bar->maximum();
    });

    m_belowButton->setObjectName(QStringLiteral("newMessagesBelowButton"));
    m_belowButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_belowButton->setCursor(Qt::PointingHandCursor);
    m_belowButton->setAutoRaise(false);
    m_belowButton->hide();
    connect(m_belowButton, &QToolButton::clicked, this, &ConversationView::scrollToBottom);

    m_olderLabel->setObjectName(QStringLiteral("olderHistoryLabel"));
    m_olderLabel->setAlignment(Qt::AlignCenter);
    m_olderLabel->setAutoFillBackground(true);
    m_olderLabel->setForegroundRole(QPalette::PlaceholderText);
    m_olderLabel->setMargin(2);
    m_olderLabel->hide();
}

void ConversationView::setOlderState(bool loading, bool historyBegins)
{
    m_loadingOlder = loading;
    m_historyBegins = historyBegins;
    updateOlderLabel();
}

void ConversationView::updateOlderLabel()
{
    // While fetching, always; the beginning only where it is, at the top.
    const bool atTop = verticalScrollBar()->value() <= verticalScrollBar()->minimum();
    const bool show = m_loadingOlder || (m_historyBegins && atTop);
    if (show) {
        m_olderLabel->setText(m_loadingOlder ? tr("Loading older messages…")
                                             : tr("This is the beginning of the history."));
        // Above the text, in a margin of its own, so it hides no line (the day's, say).
        const QRect area = contentsRect();
        const int height = m_olderLabel->sizeHint().height();
        m_olderLabel->setGeometry(area.left(), area.top(), area.width() - verticalScrollBar()->width(),
                                  height);
        m_olderLabel->raise();
        if (viewportMargins().top() != height)
            setViewportMargins(0, height, 0, 0);
    } else if (viewportMargins().top() != 0) {
        setViewportMargins(0, 0, 0, 0);
    }
    m_olderLabel->setVisible(show);
}

void ConversationView::scrollToBottom()
{
    m_followBottom = true;
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    m_unseenBelow = 0;
    updateBelowButton();
}

void ConversationView::userScrolled(int action)
{
    // Called before the value follows the slider: sliderPosition() is where it goes.
    QScrollBar *bar = verticalScrollBar();
    if (action == QAbstractSlider::SliderNoAction)
        return;
    m_followBottom = bar->sliderPosition() >= bar->maximum();
    if (m_followBottom)
        m_unseenBelow = 0;
    updateBelowButton();
    // Once the move is done: what answers it may change the layout (the loading line).
    if (bar->sliderPosition() <= bar->minimum())
        QMetaObject::invokeMethod(this, &ConversationView::topReached, Qt::QueuedConnection);
}

void ConversationView::scrolled()
{
    if (m_rebuilding || std::exchange(m_clamping, false))
        return;
    if (m_historyBegins)
        updateOlderLabel();
    QScrollBar *bar = verticalScrollBar();
    if (bar->value() >= bar->maximum() && !m_followBottom) {
        m_followBottom = true;
        m_unseenBelow = 0;
        updateBelowButton();
    }
}

void ConversationView::wheelEvent(QWheelEvent *event)
{
    QScrollBar *bar = verticalScrollBar();
    // A conversation too short to scroll, or one already at its top: turning the wheel up
    // still asks for what came before.
    const bool upAtTop = event->angleDelta().y() > 0 && bar->value() <= bar->minimum();
    QPlainTextEdit::wheelEvent(event);
    if (upAtTop)
        Q_EMIT topReached();
}

void ConversationView::keyPressEvent(QKeyEvent *event)
{
    QPlainTextEdit::keyPressEvent(event);
    // Page Up, Ctrl+End and the like move the text cursor, and the view with it, without a
    // scroll bar action: as much the user's scrolling as the wheel.
    // The text cursor at the end shows the last line, which may leave the view a line short
    // of the scroll bar's end: that is the bottom too.
    QScrollBar *bar = verticalScrollBar();
    if (bar->value() >= bar->maximum() - 1) {
        scrollToBottom();
    } else if (m_followBottom) {
        m_followBottom = false;
        updateBelowButton();
    }
    if (bar->value() <= bar->minimum())
        QMetaObject::invokeMethod(this, &ConversationView::topReached, Qt::QueuedConnection);
}

void ConversationView::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    placeBelowButton();
    updateOlderLabel();
    if (m_followBottom)
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

void ConversationView::updateBelowButton()
{
    const bool show = !m_followBottom && m_unseenBelow > 0;
    if (show) {
        m_belowButton->setText(tr("↓ %n new message(s) below", nullptr, m_unseenBelow));
        m_belowButton->setToolTip(tr("Scroll down to the newest message"));
        m_belowButton->adjustSize();
        placeBelowButton();
        m_belowButton->raise();
    }
    m_belowButton->setVisible(show);
}

void ConversationView::placeBelowButton()
{
    // Centred at the bottom of the visible text, above the horizontal edge.
    const QRect area = viewport()->geometry();
    const QSize size = m_belowButton->sizeHint();
    m_belowButton->resize(size);
    m_belowButton->move(area.left() + (area.width() - size.width()) / 2, area.bottom() - size.height() - 8);
}

void ConversationView::setModel(MessageModel *model)
{
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    // Another conversation opens at its newest entry.
    m_followBottom = true;
    m_unseenBelow = 0;
    updateBelowButton();
    // The model drops its oldest entries beyond its capacity; the document does the same,
    // with room for day separators and the marker.
    document()->setMaximumBlockCount(model->capacity() + model->capacity() / 10);
    connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first, int last) {
        // Lines inserted before others (a room's recent lines go before "you joined") are
        // rare: the document is laid out anew.
        if (last < m_model->rowCount() - 1)
            rebuild();
        else
            appendRows(first, last);
    });
    connect(model, &QAbstractItemModel::modelReset, this, &ConversationView::rebuild);
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &first, const QModelIndex &last, const QList<int> &roles) {
                if (roles.contains(MessageModel::FirstUnreadRole)) {
                    removeReadMarker();
                    return;
                }
                // An entry changed in place: a pending message settled or refused.
                for (int row = first.row(); row <= last.row(); ++row)
                    replaceRow(row);
            });
    connect(model, &QAbstractItemModel::rowsRemoved, this, &ConversationView::rebuild);
    rebuild();
}

bool ConversationView::isSafeLink(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return url.isValid() && (scheme == u"http" || scheme == u"https" || scheme == u"mailto");
}

QUrl ConversationView::retryLink(const QString &clientId)
{
    return QUrl(QStringLiteral("groupchat-retry:") + clientId);
}

QUrl ConversationView::deleteLink(const QString &clientId)
{
    return QUrl(QStringLiteral("groupchat-delete:") + clientId);
}

QVariant ConversationView::loadResource(int, const QUrl &)
{
    // Nothing in a conversation is ever fetched: no images, no style sheets, no files.
    return QVariant();
}

void ConversationView::setTimeFormat(const QString &format)
{
    if (format == m_timeFormat)
        return;
    m_timeFormat = format;
    if (m_model)
        rebuild();
}

void ConversationView::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    // Nick colours and tints depend on the palette (light or dark).
    if (event->type() == QEvent::PaletteChange && m_model)
        rebuild();
    // Another font wraps lines anew; a view at the bottom stays there (the range follows
    // later too, through rangeChanged).
    if (event->type() == QEvent::FontChange && m_followBottom)
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

QString ConversationView::linkAt(const QPoint &position) const
{
    const QTextCursor cursor = cursorForPosition(position);
    // The format at a cursor is that of the character before it; the one under the pointer
    // is after it unless the pointer is on the left half of its glyph.
    QTextCursor next = cursor;
    next.movePosition(QTextCursor::NextCharacter);
    for (const QTextCursor &candidate : { cursor, next }) {
        const QTextCharFormat format = candidate.charFormat();
        if (format.isAnchor() && !format.anchorHref().isEmpty()) {
            const QRect glyph = cursorRect(candidate);
            if (std::abs(glyph.center().y() - position.y()) <= glyph.height())
                return format.anchorHref();
        }
    }
    return QString();
}

void ConversationView::mouseMoveEvent(QMouseEvent *event)
{
    QPlainTextEdit::mouseMoveEvent(event);
    viewport()->setCursor(linkAt(event->position().toPoint()).isEmpty() ? Qt::IBeamCursor
                                                                        : Qt::PointingHandCursor);
}

void ConversationView::mousePressEvent(QMouseEvent *event)
{
    QPlainTextEdit::mousePressEvent(event);
    if (event->button() == Qt::LeftButton)
        m_pressPosition = event->position().toPoint();
}

void ConversationView::mouseReleaseEvent(QMouseEvent *event)
{
    QPlainTextEdit::mouseReleaseEvent(event);
    // A click, not the end of a selection dragged with the mouse (a click that only extends
    // or keeps a selection, a second click of a double click, still counts).
    const bool click = (event->position().toPoint() - m_pressPosition).manhattanLength() <
                       QApplication::startDragDistance();
    if (event->button() == Qt::LeftButton && click) {
        const QUrl link(linkAt(event->position().toPoint()));
        if (isSafeLink(link))
            Q_EMIT linkActivated(link);
        else if (link.scheme() == u"groupchat-retry")
            Q_EMIT retryRequested(link.path());
        else if (link.scheme() == u"groupchat-delete")
            Q_EMIT deleteRequested(link.path());
    }
}

QString ConversationView::refusedAt(const QPoint &position) const
{
    const QTextBlock block = cursorForPosition(position).block();
    for (auto it = block.begin(); !it.atEnd(); ++it) {
        const QUrl link(it.fragment().charFormat().anchorHref());
        if (link.scheme() == u"groupchat-retry")
            return link.path();
    }
    return QString();
}

void ConversationView::contextMenuEvent(QContextMenuEvent *event)
{
    std::unique_ptr<QMenu> menu(createStandardContextMenu(event->pos()));
    if (const QString clientId = refusedAt(event->pos()); !clientId.isEmpty()) {
        menu->addSeparator();
        menu->addAction(tr("Retry"), this, [this, clientId] { Q_EMIT retryRequested(clientId); });
        menu->addAction(tr("Delete"), this, [this, clientId] { Q_EMIT deleteRequested(clientId); });
    }
    menu->exec(event->globalPos());
}

QString ConversationView::withoutIsolation(QString text)
{
    return text.remove(firstStrongIsolate).remove(popDirectionalIsolate);
}

QString ConversationView::readableText() const
{
    return withoutIsolation(toPlainText());
}

QMimeData *ConversationView::createMimeDataFromSelection() const
{
    QString text = withoutIsolation(textCursor().selection().toPlainText());
    text.replace(QChar::ParagraphSeparator, u'\n');
    auto *mime = new QMimeData;
    mime->setText(text);
    return mime;
}

void ConversationView::rebuild()
{
    // Laid out anew (history put before, another palette): what was at the bottom stays at
    // the bottom, and so does the line the reader was looking at: the lines below it are the
    // same ones, so its distance from the end is kept.
    QScrollBar *bar = verticalScrollBar();
    const int fromEnd = bar->maximum() - bar->value();
    m_rebuilding = true;
    clear();
    m_lastDate = QDate();
    if (m_model && m_model->rowCount() > 0)
        appendRows(0, m_model->rowCount() - 1);
    m_rebuilding = false;
    bar->setValue(m_followBottom ? bar->maximum() : bar->maximum() - fromEnd);
}

void ConversationView::replaceRow(int row)
{
    // The entry's block, counted from the end: what changes is nearly always recent, and the
    // document may hold fewer old lines than the model.
    int fromEnd = m_model->rowCount() - 1 - row;
    QTextBlock block = document()->lastBlock();
    for (; block.isValid(); block = block.previous()) {
        if (block.userState() == EntryBlock && fromEnd-- == 0)
            break;
    }
    if (!block.isValid() || block == document()->firstBlock()) {
        rebuild();
        return;
    }
    QScrollBar *bar = verticalScrollBar();
    const int fromBottom = bar->maximum() - bar->value();
    // Laid out again where it was: no day separator, whatever its new time says.
    const QDate lastDate = m_lastDate;
    m_lastDate = m_model->entry(row).time.toLocalTime().date();
    QTextCursor cursor(block);
    cursor.beginEditBlock();
    // With the separator before it: the cursor ends at the end of the line above.
    cursor.select(QTextCursor::BlockUnderCursor);
    cursor.removeSelectedText();
    appendEntry(cursor, m_model->entry(row), false);
    cursor.endEditBlock();
    m_lastDate = lastDate;
    bar->setValue(m_followBottom ? bar->maximum() : bar->maximum() - fromBottom);
}

void ConversationView::appendRows(int first, int last)
{
    QScrollBar *bar = verticalScrollBar();
    const int firstUnread = m_model->firstUnreadRow();
    // One edit for the whole batch: the document lays out once, not once per fragment.
    QTextCursor cursor(document());
    cursor.movePosition(QTextCursor::End);
    cursor.beginEditBlock();
    for (int row = first; row <= last; ++row)
        appendEntry(cursor, m_model->entry(row), row == firstUnread);
    cursor.endEditBlock();
    if (m_rebuilding)
        return;
    if (m_followBottom) {
        bar->setValue(bar->maximum());
    } else {
        // Out of sight: the messages are counted for the button (joins and leaves are not
        // what anyone scrolls down for).
        for (int row = first; row <= last; ++row)
            m_unseenBelow += m_model->entry(row).isConversation() ? 1 : 0;
        updateBelowButton();
    }
}

void ConversationView::appendEntry(QTextCursor &cursor, const ChatEntry &entry, bool firstUnread)
{
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const QColor subdued = mix(text, base, 0.45);

    const auto startBlock = [&](const QTextBlockFormat &format, int state) {
        if (document()->isEmpty())
            cursor.setBlockFormat(format);
        else
            cursor.insertBlock(format);
        cursor.block().setUserState(state);
    };

    const QDateTime local = entry.time.toLocalTime();
    if (local.date() != m_lastDate) {
        m_lastDate = local.date();
        QTextBlockFormat day;
        day.setAlignment(Qt::AlignHCenter);
        day.setTopMargin(8);
        day.setBottomMargin(4);
        startBlock(day, DayBlock);
        QTextCharFormat format;
        format.setForeground(subdued);
        format.setFontWeight(QFont::DemiBold);
        cursor.insertText(QStringLiteral("— %1 —").arg(QLocale().toString(m_lastDate, QLocale::LongFormat)),
                          format);
    }

    if (firstUnread) {
        QTextBlockFormat marker;
        marker.setAlignment(Qt::AlignHCenter);
        marker.setBackground(mix(base, QColor(220, 60, 60), 0.12));
        startBlock(marker, MarkerBlock);
        QTextCharFormat format;
        format.setForeground(QColor(200, 50, 50));
        format.setFontWeight(QFont::DemiBold);
        cursor.insertText(tr("new messages"), format);
    }

    QTextBlockFormat block;
    // The line's own direction is the window's, never guessed from a nick or a message.
    block.setLayoutDirection(layoutDirection());
    block.setTopMargin(1);
    block.setBottomMargin(1);
    block.setLeftMargin(4);
    block.setRightMargin(4);
    if (entry.mentionsMe)
        block.setBackground(mix(base, QColor(255, 170, 0), 0.22));
    else if (entry.kind == ChatEntry::Kind::Private)
        block.setBackground(mix(base, QColor(140, 80, 220), 0.14));
    else if (entry.own)
        block.setBackground(mix(base, pal.color(QPalette::Highlight), 0.08));
    startBlock(block, EntryBlock);

    QTextCharFormat plain;
    plain.setForeground(text);
    QTextCharFormat quiet = plain;
    quiet.setForeground(subdued);
    QTextCharFormat timeFormat = quiet;
    timeFormat.setToolTip(QLocale().toString(local, QLocale::LongFormat));
    cursor.insertText(QLocale().toString(local.time(), m_timeFormat) + u"  ", timeFormat);
    // The user's own message not confirmed yet: a clock and dimmed text, as chat apps show
    // it; refused: a red mark (the reason and what can be done follow the text).
    const bool pending = entry.delivery == ChatEntry::Delivery::Pending;
    const bool failed = entry.delivery == ChatEntry::Delivery::Failed;
    const QColor red(200, 30, 30);
    if (pending) {
        QTextCharFormat clock = quiet;
        clock.setToolTip(tr("Sending…"));
        cursor.insertText(QStringLiteral("\u25F7 "), clock);
    } else if (failed) {
        QTextCharFormat mark = plain;
        mark.setForeground(red);
        mark.setFontWeight(QFont::Bold);
        mark.setToolTip(tr("Not sent"));
        cursor.insertText(QStringLiteral("\u26A0 "), mark);
    }
    QTextCharFormat bodyFormat = pending ? quiet : plain;
    if (pending)
        bodyFormat.setToolTip(tr("Sending…"));

    const auto nickFormat = [&](const QString &nick) {
        QTextCharFormat format;
        format.setForeground(m_model->nickPalette().colorFor(nick, base));
        format.setFontWeight(QFont::Bold);
        return format;
    };
    // A nick, isolated.
    const auto insertNick = [&](const QString &nick, const QTextCharFormat &format) {
        cursor.insertText(firstStrongIsolate + nick + popDirectionalIsolate, format);
    };
    // Message text, isolated, with its links clickable and everything else exactly as typed.
    const auto insertText = [&](const QString &body, QTextCharFormat format) {
        cursor.insertText(QString(firstStrongIsolate), format);
        qsizetype at = 0;
        auto it = linkPattern().globalMatch(body);
        while (it.hasNext()) {
            const QRegularExpressionMatch match = it.next();
            QString link = match.captured();
            // Trailing punctuation usually ends the sentence, not the address.
            while (!link.isEmpty() && QStringLiteral(".,;:!?)]'").contains(link.back()))
                link.chop(1);
            insertWithEmoji(cursor, QStringView(body).sliced(at, match.capturedStart() - at), format);
            QUrl url = QUrl::fromUserInput(link);
            QTextCharFormat anchor = format;
            if (isSafeLink(url)) {
                anchor.setAnchor(true);
                anchor.setAnchorHref(url.toString());
                anchor.setForeground(pal.color(QPalette::Link));
                anchor.setFontUnderline(true);
                anchor.setToolTip(url.toString());
            }
            cursor.insertText(link, anchor);
            at = match.capturedStart() + link.size();
        }
        insertWithEmoji(cursor, QStringView(body).sliced(at), format);
        cursor.insertText(QString(popDirectionalIsolate), format);
    };

    switch (entry.kind) {
    case ChatEntry::Kind::Message:
        insertNick(entry.nick, nickFormat(entry.nick));
        cursor.insertText(QStringLiteral("  "), plain);
        insertText(entry.text, bodyFormat);
        break;
    case ChatEntry::Kind::Action: {
        QTextCharFormat italic = nickFormat(entry.nick);
        italic.setFontItalic(true);
        cursor.insertText(QStringLiteral("* "), italic);
        insertNick(entry.nick, italic);
        cursor.insertText(QStringLiteral(" "), italic);
        italic.setFontWeight(QFont::Normal);
        if (pending)
            italic.setForeground(subdued);
        insertText(entry.text, italic);
        break;
    }
    case ChatEntry::Kind::Private: {
        QTextCharFormat label = quiet;
        label.setFontItalic(true);
        cursor.insertText(entry.own ? tr("private to ") : tr("private from "), label);
        const QString other = entry.own ? entry.target : entry.nick;
        insertNick(other, nickFormat(other));
        cursor.insertText(QStringLiteral("  "), plain);
        insertText(entry.text, bodyFormat);
        break;
    }
    case ChatEntry::Kind::Join:
    case ChatEntry::Kind::Leave:
    case ChatEntry::Kind::NickChange:
    case ChatEntry::Kind::Status: {
        QTextCharFormat notice = quiet;
        notice.setFontItalic(true);
        if (entry.kind == ChatEntry::Kind::Join)
            cursor.insertText(tr("→ %1 joined").arg(isolated(entry.nick)), notice);
        else if (entry.kind == ChatEntry::Kind::Leave)
            cursor.insertText(tr("← %1 left (%2)").arg(isolated(entry.nick), isolated(entry.text)), notice);
        else if (entry.kind == ChatEntry::Kind::NickChange)
            cursor.insertText(tr("%1 is now known as %2").arg(isolated(entry.nick), isolated(entry.target)),
                              notice);
        else
            insertText(entry.text, notice);
        break;
    }
    case ChatEntry::Kind::Notice: {
        QTextCharFormat notice = quiet;
        if (entry.target == u"admin") {
            notice.setForeground(QColor(200, 110, 0));
            notice.setFontWeight(QFont::DemiBold);
            cursor.insertText(tr("Notice from the server admin: "), notice);
        }
        insertText(entry.text, notice);
        break;
    }
    case ChatEntry::Kind::Error: {
        QTextCharFormat error = plain;
        error.setForeground(QColor(200, 30, 30));
        insertText(entry.text, error);
        break;
    }
    }
    if (failed) {
        QTextCharFormat reason = plain;
        reason.setForeground(red);
        cursor.insertText(QStringLiteral("  "), plain);
        insertText(tr("Not sent: %1").arg(entry.failure), reason);
        const auto insertAction = [&](const QString &label, const QUrl &url) {
            QTextCharFormat anchor = plain;
            anchor.setAnchor(true);
            anchor.setAnchorHref(url.toString());
            anchor.setForeground(pal.color(QPalette::Link));
            anchor.setFontUnderline(true);
            cursor.insertText(QStringLiteral("  "), plain);
            cursor.insertText(label, anchor);
        };
        insertAction(tr("Retry"), retryLink(entry.clientId));
        insertAction(tr("Delete"), deleteLink(entry.clientId));
    }
}

void ConversationView::removeReadMarker()
{
    for (QTextBlock block = document()->lastBlock(); block.isValid(); block = block.previous()) {
        if (block.userState() != MarkerBlock)
            continue;
        QTextCursor cursor(block);
        cursor.select(QTextCursor::BlockUnderCursor);
        if (block == document()->firstBlock()) {
            // The first block has no separator before it: take the one after it instead.
            cursor.movePosition(QTextCursor::StartOfBlock);
            cursor.movePosition(QTextCursor::NextBlock, QTextCursor::KeepAnchor);
        }
        cursor.removeSelectedText();
        return;
    }
}

bool ConversationView::findText(const QString &text, bool backward)
{
    if (text.isEmpty())
        return false;
    const QTextDocument::FindFlags flags =
            backward ? QTextDocument::FindBackward : QTextDocument::FindFlags();
    if (find(text, flags))
        return true;
    // Wrap around once.
    QTextCursor cursor = textCursor();
    cursor.movePosition(backward ? QTextCursor::End : QTextCursor::Start);
    setTextCursor(cursor);
    return find(text, flags);
}

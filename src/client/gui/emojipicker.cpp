#include "emojipicker.h"

#include "emojicatalog.h"

#include <QCoreApplication>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QScreen>
#include <QVBoxLayout>

namespace {

// How many emoji the grid shows at most: a screenful to scroll, never the whole catalogue.
constexpr int maxShown = 400;

} // namespace

EmojiPicker::EmojiPicker(QWidget *parent)
    : QFrame(parent, Qt::Popup), m_search(new QLineEdit(this)), m_grid(new QListWidget(this))
{
    setObjectName(QStringLiteral("emojiPicker"));
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(tr("Emoji"));
    m_search->setObjectName(QStringLiteral("emojiSearch"));
    m_search->setPlaceholderText(tr("Search emoji (smile, heart, 笑)"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search emoji"));
    m_grid->setObjectName(QStringLiteral("emojiGrid"));
    m_grid->setAccessibleName(tr("Emoji"));
    m_grid->setViewMode(QListView::IconMode);
    m_grid->setMovement(QListView::Static);
    m_grid->setResizeMode(QListView::Adjust);
    m_grid->setUniformItemSizes(true);
    m_grid->setWrapping(true);
    m_grid->setSelectionMode(QAbstractItemView::SingleSelection);
    QFont emojiFont = m_grid->font();
    for (const QString &family : { QStringLiteral("Noto Color Emoji") }) {
        if (QFontDatabase::families().contains(family))
            emojiFont.setFamilies({ family });
    }
    emojiFont.setPointSizeF(emojiFont.pointSizeF() * 1.5);
    m_grid->setFont(emojiFont);
    const QFontMetrics metrics(emojiFont);
    const int cell = metrics.height() * 8 / 5;
    m_grid->setGridSize(QSize(cell, cell));
    m_grid->setTextElideMode(Qt::ElideNone);
    m_grid->setSpacing(0);
    // Sequences the font cannot draw as one picture (newer ZWJ sequences) would show as
    // several: they are left out.
    m_widest = metrics.horizontalAdvance(QStringLiteral("\U0001F600")) * 3 / 2;
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_search);
    layout->addWidget(m_grid);
    resize(cell * 10 + 40, cell * 7 + m_search->sizeHint().height() + 30);

    connect(m_search, &QLineEdit::textChanged, this, &EmojiPicker::fill);
    connect(m_grid, &QListWidget::itemActivated, this, &EmojiPicker::pick);
    connect(m_grid, &QListWidget::itemClicked, this, &EmojiPicker::pick);
    m_search->installEventFilter(this);
    fill(QString());
}

void EmojiPicker::fill(const QString &query)
{
    m_grid->clear();
    const QFontMetrics metrics(m_grid->font());
    for (const EmojiCatalog::Emoji *emoji : EmojiCatalog::instance().search(query, maxShown)) {
        if (metrics.horizontalAdvance(emoji->text) > m_widest)
            continue;
        auto *item = new QListWidgetItem(emoji->text, m_grid);
        item->setTextAlignment(Qt::AlignCenter);
        // The name on hovering, and for screen readers.
        const QString name = u':' + emoji->shortcode + u':';
        item->setToolTip(emoji->chineseName.isEmpty() ? name : name + u' ' + emoji->chineseName);
        item->setData(Qt::AccessibleTextRole, emoji->shortcode);
    }
    if (m_grid->count() > 0)
        m_grid->setCurrentRow(0);
    m_grid->scrollToTop();
}

QStringList EmojiPicker::shown() const
{
    QStringList texts;
    for (int row = 0; row < m_grid->count(); ++row)
        texts.append(m_grid->item(row)->text());
    return texts;
}

void EmojiPicker::pick(QListWidgetItem *item)
{
    if (!item)
        return;
    Q_EMIT picked(item->text());
    hide();
}

bool EmojiPicker::eventFilter(QObject *watched, QEvent *event)
{
    // From the search field: Enter takes the highlighted emoji, the arrows move in the grid.
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            pick(m_grid->currentItem());
            return true;
        }
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up || key->key() == Qt::Key_Left ||
            key->key() == Qt::Key_Right) {
            m_grid->setFocus();
            QKeyEvent copy(key->type(), key->key(), key->modifiers());
            QCoreApplication::sendEvent(m_grid, &copy);
            return true;
        }
    }
    return QFrame::eventFilter(watched, event);
}

void EmojiPicker::popUp(QWidget *anchor)
{
    m_search->clear();
    fill(QString());
    QPoint at = anchor->mapToGlobal(QPoint(anchor->width() - width(), anchor->height()));
    if (const QScreen *screen = anchor->screen()) {
        const QRect available = screen->availableGeometry();
        if (at.y() + height() > available.bottom())
            at.setY(anchor->mapToGlobal(QPoint(0, 0)).y() - height());
        at.setX(qBound(available.left(), at.x(), available.right() - width()));
        at.setY(qMax(available.top(), at.y()));
    }
    move(at);
    show();
    m_search->setFocus();
}

#pragma once

#include <QFrame>

class QLineEdit;
class QListWidget;
class QListWidgetItem;

// A small popup of emoji with a search field, opened from the button beside the input: the
// smileys and common gestures first, any emoji by English or Chinese words (EmojiCatalog,
// CLDR's names and keywords). Clicking one, or Enter, emits picked() and closes; Esc closes.
class EmojiPicker : public QFrame
{
    Q_OBJECT

public:
    explicit EmojiPicker(QWidget *parent = nullptr);

    // Opens below-left of anchor's bottom edge (above it when there is no room), the search
    // field empty and focused.
    void popUp(QWidget *anchor);
    // The emoji the list shows now, in order (for tests).
    QStringList shown() const;

Q_SIGNALS:
    void picked(const QString &emoji);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fill(const QString &query);
    void pick(QListWidgetItem *item);

    QLineEdit *m_search;
    QListWidget *m_grid;
    int m_widest = 0; // pixels: wider than one emoji is more than one picture
};

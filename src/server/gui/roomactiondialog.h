#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;

// The admin's "say something to someone" dialog: a target (the whole server first, then
// rooms) and a line of text; the kick and the notice both ask this way. Wide enough for its
// title and a sentence, whatever the language.
class RoomActionDialog : public QDialog
{
    Q_OBJECT

public:
    // everyone: what the first choice is called ("the whole server"); rooms: the rooms that
    // can be picked instead; room: the one chosen at first (empty: everyone).
    RoomActionDialog(const QString &title, const QString &prompt, const QString &everyone,
                     const QStringList &rooms, const QString &room, QWidget *parent = nullptr);

    void setText(const QString &text);
    // Grey text in the empty field: what to write there.
    void setPlaceholderText(const QString &text);
    void setOkText(const QString &text);
    QString text() const;
    // The room picked, or empty for everyone.
    QString room() const;

Q_SIGNALS:
    // Accepted: text and room as above.
    void chosen(const QString &text, const QString &room);

private:
    QLabel *m_prompt;
    QComboBox *m_target;
    QLineEdit *m_text;
    QPushButton *m_ok;
};

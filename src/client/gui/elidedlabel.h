#pragma once

#include <QLabel>

// A one-line label that shows as much of its text as fits, ending in "…" when it does not,
// and never asks for more width than a few characters: a long topic neither widens the window
// nor is cut off mid-letter without a sign that there is more.
class ElidedLabel : public QLabel
{
    Q_OBJECT

public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    // The whole text; text() is what is shown of it.
    void setFullText(const QString &text);
    QString fullText() const { return m_fullText; }
    bool isElided() const { return text() != m_fullText; }

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void elide();

    QString m_fullText;
};

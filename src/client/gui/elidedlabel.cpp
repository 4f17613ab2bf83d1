#include "elidedlabel.h"

#include <QResizeEvent>

ElidedLabel::ElidedLabel(QWidget *parent) : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setWordWrap(false);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
}

void ElidedLabel::setFullText(const QString &text)
{
    m_fullText = text;
    elide();
}

QSize ElidedLabel::minimumSizeHint() const
{
    const QSize hint = QLabel::minimumSizeHint();
    return { fontMetrics().averageCharWidth() * 4, hint.height() };
}

QSize ElidedLabel::sizeHint() const
{
    const QSize hint = QLabel::sizeHint();
    return { qMin(hint.width(), fontMetrics().averageCharWidth() * 40), hint.height() };
}

void ElidedLabel::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    elide();
}

void ElidedLabel::elide()
{
    // The room the text has inside the frame and margins.
    const int width = contentsRect().width() - 2 * margin() - 2 * qMax(indent(), 0);
    const QString shown = fontMetrics().elidedText(m_fullText, Qt::ElideRight, qMax(0, width));
    if (shown != text())
        setText(shown);
}

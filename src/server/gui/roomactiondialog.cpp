#include "roomactiondialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

RoomActionDialog::RoomActionDialog(const QString &title, const QString &prompt, const QString &everyone,
                                   const QStringList &rooms, const QString &room, QWidget *parent)
    : QDialog(parent),
      m_prompt(new QLabel(prompt, this)),
      m_target(new QComboBox(this)),
      m_text(new QLineEdit(this))
{
    setWindowTitle(title);
    m_prompt->setWordWrap(true);
    m_prompt->setTextFormat(Qt::PlainText);
    m_target->addItem(everyone, QString());
    for (const QString &name : rooms)
        m_target->addItem(name, name);
    m_target->setCurrentIndex(qMax(0, m_target->findData(room)));
    auto *form = new QFormLayout;
    form->addRow(tr("&To:"), m_target);
    form->addRow(tr("&Text:"), m_text);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(this, &QDialog::accepted, this, [this] { Q_EMIT chosen(text(), this->room()); });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_prompt);
    layout->addLayout(form);
    layout->addWidget(buttons);
    // Room for the title in the window's frame and for a sentence of text.
    setMinimumWidth(qMax(fontMetrics().averageCharWidth() * 60, fontMetrics().horizontalAdvance(title) * 2));
}

void RoomActionDialog::setText(const QString &text)
{
    m_text->setText(text);
    m_text->selectAll();
}

void RoomActionDialog::setPlaceholderText(const QString &text)
{
    m_text->setPlaceholderText(text);
}

void RoomActionDialog::setOkText(const QString &text)
{
    m_ok->setText(text);
}

QString RoomActionDialog::text() const
{
    return m_text->text();
}

QString RoomActionDialog::room() const
{
    return m_target->currentData().toString();
}

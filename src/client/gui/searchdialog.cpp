#include "searchdialog.h"

#include "chatclient.h"
#include "chatlimits.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

SearchDialog::SearchDialog(ChatClient *client, QWidget *parent)
    : QDialog(parent),
      m_client(client),
      m_query(new QLineEdit(this)),
      m_searchButton(new QPushButton(tr("&Search"), this)),
      m_list(new QTreeWidget(this)),
      m_status(new QLabel(this))
{
    setWindowTitle(tr("Search History"));
    m_query->setObjectName(QStringLiteral("searchEdit"));
    m_query->setPlaceholderText(tr("Words to find in your rooms and private conversations"));
    m_query->setMaxLength(ChatLimits::maxSearchCharacters);
    m_query->setClearButtonEnabled(true);
    m_query->setAccessibleName(tr("Search"));
    m_searchButton->setObjectName(QStringLiteral("searchButton"));
    m_searchButton->setDefault(true);
    m_list->setObjectName(QStringLiteral("resultList"));
    m_list->setAccessibleName(tr("Search results"));
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setHeaderLabels({ tr("Where"), tr("When"), tr("Who"), tr("Message") });
    m_list->header()->setStretchLastSection(true);
    m_status->setObjectName(QStringLiteral("searchStatus"));
    m_status->setWordWrap(true);

    auto *row = new QHBoxLayout;
    row->addWidget(m_query, 1);
    row->addWidget(m_searchButton);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(fontMetrics().averageCharWidth() * 100, fontMetrics().height() * 25);

    connect(m_searchButton, &QPushButton::clicked, this, [this] { search(m_query->text()); });
    connect(m_query, &QLineEdit::returnPressed, this, [this] { search(m_query->text()); });
    connect(m_client, &ChatClient::searchResultsReceived, this, &SearchDialog::showResults);
    connect(m_list, &QTreeWidget::itemActivated, this, &SearchDialog::open);
}

void SearchDialog::search(const QString &text)
{
    if (m_query->text() != text)
        m_query->setText(text);
    if (text.trimmed().isEmpty())
        return;
    if (!m_client->search(text)) {
        m_status->setText(tr("Not connected: nothing can be searched now."));
        return;
    }
    m_asked = text.simplified();
    m_status->setText(tr("Searching…"));
}

void SearchDialog::showResults(const QString &text, const QList<ChatMessage> &messages, bool more)
{
    if (text != m_asked)
        return; // an older search's answer
    m_results = messages;
    m_list->clear();
    for (const ChatMessage &message : messages) {
        const QString where = message.room.isEmpty()
                                      ? tr("private with %1").arg(m_client->conversationNameOf(message))
                                      : message.room;
        auto *item = new QTreeWidgetItem(
                m_list, { where, QLocale().toString(message.time.toLocalTime(), QLocale::ShortFormat),
                          message.from, message.text.simplified() });
        item->setToolTip(3, message.text);
    }
    for (int column = 0; column < 3; ++column)
        m_list->resizeColumnToContents(column);
    if (messages.isEmpty())
        m_status->setText(tr("Nothing found for %1.").arg(text));
    else if (more)
        m_status->setText(tr("The newest %n messages found; add words to find older ones.", nullptr,
                             int(messages.size())));
    else
        m_status->setText(tr("%n message(s) found. Double-click one to see it in its conversation.", nullptr,
                             int(messages.size())));
    if (m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
}

void SearchDialog::open(QTreeWidgetItem *item)
{
    const int row = m_list->indexOfTopLevelItem(item);
    if (row < 0 || row >= m_results.size())
        return;
    const ChatMessage &message = m_results.at(row);
    Q_EMIT opened(m_client->conversationNameOf(message), message);
}

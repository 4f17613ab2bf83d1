#include "joinroomdialog.h"

#include "chatclient.h"
#include "chatlimits.h"
#include "roomname.h"
#include "ui_joinroomdialog.h"

#include <QHeaderView>
#include <QPushButton>
#include <QStandardItemModel>

JoinRoomDialog::JoinRoomDialog(QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::JoinRoomDialog>()), m_rooms(new QStandardItemModel(this))
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("joinDialog"));
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Join"));
    m_rooms->setHorizontalHeaderLabels({ tr("Room"), tr("People"), tr("Topic") });
    m_ui->roomList->setModel(m_rooms);
    m_ui->roomList->sortByColumn(PeopleColumn, Qt::DescendingOrder);
    m_ui->roomList->header()->setSectionResizeMode(NameColumn, QHeaderView::ResizeToContents);
    m_ui->roomList->header()->setSectionResizeMode(PeopleColumn, QHeaderView::ResizeToContents);
    m_ui->roomList->header()->setStretchLastSection(true);
    m_ui->nameEdit->setText(QStringLiteral("#"));
    m_ui->nameEdit->setMaxLength(ChatLimits::maxNickCodePoints * 4);
    // A room picked in the table is the one to join; a double-click joins it at once.
    connect(m_ui->roomList->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    m_ui->nameEdit->setText(current.siblingAtColumn(NameColumn).data().toString());
            });
    connect(m_ui->roomList, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        m_ui->nameEdit->setText(index.siblingAtColumn(NameColumn).data().toString());
        if (!roomName().isEmpty())
            accept();
    });
    connect(m_ui->nameEdit, &QLineEdit::textChanged, this, &JoinRoomDialog::check);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    check();
    m_ui->nameEdit->setFocus();
}

JoinRoomDialog::~JoinRoomDialog() = default;

void JoinRoomDialog::setRooms(const QList<RoomInfo> &rooms)
{
    m_rooms->removeRows(0, m_rooms->rowCount());
    for (const RoomInfo &room : rooms) {
        auto *name = new QStandardItem(room.name);
        auto *people = new QStandardItem;
        people->setData(room.online, Qt::DisplayRole); // a number, so that it sorts as one
        people->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        auto *topic = new QStandardItem(room.topic);
        // A long topic is elided in its column; the whole of it is in the tooltip.
        topic->setToolTip(room.topic);
        m_rooms->appendRow({ name, people, topic });
    }
    const QHeaderView *header = m_ui->roomList->header();
    m_ui->roomList->sortByColumn(header->sortIndicatorSection(), header->sortIndicatorOrder());
    check();
}

QString JoinRoomDialog::roomName() const
{
    const QString name = RoomName::prepare(m_ui->nameEdit->text());
    return RoomName::check(name) == NickRules::Problem::None ? name : QString();
}

QString JoinRoomDialog::problem() const
{
    return ChatClient::roomNameProblem(m_ui->nameEdit->text());
}

void JoinRoomDialog::check()
{
    const QString name = roomName();
    const QString why = problem();
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(!name.isEmpty());
    QString text = why;
    if (!name.isEmpty() && m_rooms->findItems(name, Qt::MatchFixedString, NameColumn).isEmpty() &&
        m_rooms->rowCount() > 0)
        text = tr("There is no room %1 yet: joining makes it.").arg(name);
    m_ui->problemLabel->setText(text);
    m_ui->problemLabel->setStyleSheet(why.isEmpty() ? QString() : QStringLiteral("color: #c0392b;"));
    m_ui->problemLabel->setVisible(!text.isEmpty());
}

#pragma once

#include "serverevent.h"

#include <QAbstractListModel>

// Who is in the room, sorted by nick (ignoring case), with this client's user marked.
class UserListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role { NickRole = Qt::UserRole + 1, SinceRole, IsSelfRole };

    explicit UserListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void reset(const QList<OnlineUser> &users, const QString &selfNick);
    void add(const OnlineUser &user);
    void remove(const QString &nick);
    void rename(const QString &oldNick, const QString &newNick);
    void setSelf(const QString &nick);
    void clear();

    bool contains(const QString &nick) const { return indexOf(nick) >= 0; }
    QStringList nicks() const;

Q_SIGNALS:
    void countChanged(int count);

private:
    int indexOf(const QString &nick) const;
    int insertionRow(const QString &nick) const;

    QList<OnlineUser> m_users;
    QString m_selfKey;
};

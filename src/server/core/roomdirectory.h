#pragma once

#include "room.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringView>

#include <memory>
#include <vector>

// Every room of the server by name, unique under RoomName's rules (any two keys equal: one
// room), the default room first. Rooms are created and removed by the server; this only
// keeps them and finds them.
class RoomDirectory
{
public:
    // defaultName must be a valid room name (RoomName::isValid).
    explicit RoomDirectory(const QString &defaultName);

    Room *defaultRoom() const { return m_rooms.front().get(); }
    // Renames the default room; only while nobody is in it.
    bool setDefaultName(const QString &name);

    // The room name is, or is the same as (RoomName::keys); null when there is none.
    Room *find(QStringView name) const;
    // A new room called name (prepared and valid, and not the same as one that exists).
    Room *create(const QString &name);
    // Deletes room (never the default one); its members must have left.
    void remove(Room *room);

    // The default room, then the others in the order they were created.
    QList<Room *> rooms() const;
    int count() const { return int(m_rooms.size()); }

private:
    void index(Room *room);
    void unindex(Room *room);

    std::vector<std::unique_ptr<Room>> m_rooms;
    QHash<QString, Room *> m_byKey;
    QHash<QString, Room *> m_byName; // as made
};

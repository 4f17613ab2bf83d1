#include "roomdirectory.h"

#include "roomname.h"

RoomDirectory::RoomDirectory(const QString &defaultName)
{
    m_rooms.push_back(std::make_unique<Room>(RoomName::prepare(defaultName)));
    index(m_rooms.front().get());
}

bool RoomDirectory::setDefaultName(const QString &name)
{
    const QString prepared = RoomName::prepare(name);
    if (!defaultRoom()->isEmpty() || !RoomName::isValid(prepared))
        return false;
    Room *other = find(prepared);
    if (other && other != defaultRoom())
        return false;
    unindex(defaultRoom());
    m_rooms.front() = std::make_unique<Room>(prepared);
    index(defaultRoom());
    return true;
}

Room *RoomDirectory::find(QStringView name) const
{
    // The name as the room was made (what every message carries): no skeletons needed, which
    // is what keeps ICU off the broadcast path.
    if (Room *room = m_byName.value(name.toString()))
        return room;
    for (const QString &key : RoomName::keys(name)) {
        if (Room *room = m_byKey.value(key))
            return room;
    }
    return nullptr;
}

Room *RoomDirectory::create(const QString &name)
{
    m_rooms.push_back(std::make_unique<Room>(name));
    Room *room = m_rooms.back().get();
    index(room);
    return room;
}

void RoomDirectory::remove(Room *room)
{
    if (room == defaultRoom())
        return;
    unindex(room);
    for (auto it = m_rooms.begin(); it != m_rooms.end(); ++it) {
        if (it->get() == room) {
            m_rooms.erase(it);
            return;
        }
    }
}

QList<Room *> RoomDirectory::rooms() const
{
    QList<Room *> list;
    list.reserve(qsizetype(m_rooms.size()));
    for (const auto &room : m_rooms)
        list.append(room.get());
    return list;
}

void RoomDirectory::index(Room *room)
{
    m_byName.insert(room->name(), room);
    for (const QString &key : RoomName::keys(room->name()))
        m_byKey.insert(key, room);
}

void RoomDirectory::unindex(Room *room)
{
    m_byName.remove(room->name());
    for (const QString &key : RoomName::keys(room->name())) {
        if (m_byKey.value(key) == room)
            m_byKey.remove(key);
    }
}

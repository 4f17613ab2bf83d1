#include "eventfanout.h"

#include "clientsession.h"

#include <algorithm>

EventFanout::EventFanout(WriteBatcher *batcher, const ServerEvent &event)
    : m_batcher(batcher), m_event(event), m_namesRoom(WireCodec::namesRoom(event))
{
    std::fill(std::begin(m_stretch), std::end(m_stretch), notYet);
}

void EventFanout::sendTo(ClientSession *client)
{
    // Who has not given the password hears nothing of the rooms but that the server closes.
    if (!client->isAuthenticated() && m_event.type != ServerEvent::Type::Shutdown)
        return;
    if (client->isLagging()) {
        // Far behind: skipped until it catches up, and then told how much it missed.
        if (m_event.type == ServerEvent::Type::Message)
            client->countMissed();
        return;
    }
    // Resumed past this server's reading (a cluster): it has this message already.
    if (m_event.type == ServerEvent::Type::Message && m_event.message.id <= client->seenThrough())
        return;
    const WireCodec &codec = m_namesRoom ? client->codec() : client->codec().roomless();
    // IRC without echo-message: a client's own message is not sent back to it.
    if (!codec.echoesOwn() && m_event.type == ServerEvent::Type::Message &&
        m_event.message.from == client->nick())
        return;
    auto &stretch = m_stretch[codec.slot()];
    if (stretch == notYet) {
        const QByteArray bytes = codec.encode(m_event);
        stretch = bytes.isEmpty() ? nothing : m_batcher->append(WriteBatcher::Batch(codec.family()), bytes);
    }
    if (stretch != nothing)
        client->sendShared(codec.family(), stretch.first, stretch.second);
}

#include "eventfanout.h"

#include "clientsession.h"
#include "jsonprotocol.h"
#include "plainprotocol.h"

EventFanout::EventFanout(WriteBatcher *batcher, const ServerEvent &event)
    : m_batcher(batcher),
      m_event(event),
      m_namesRoom(event.type == ServerEvent::Type::Message ? !event.message.room.isEmpty()
                                                           : !event.room.isEmpty())
{ }

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
    Rendering rendering = Plain;
    if (client->isJson()) {
        if (client->jsonVersion() < 2 && !JsonProtocol::knownToVersion1(m_event.type))
            return;
        rendering = Json;
    } else if (m_namesRoom && client->marksRooms()) {
        rendering = PlainMarked;
    }
    const auto batch = rendering == Json ? WriteBatcher::JsonBatch : WriteBatcher::PlainBatch;
    auto &[from, to] = m_stretch[rendering];
    if (from < 0) {
        std::tie(from, to) = m_batcher->append(
                batch, rendering == Json ? JsonProtocol::encode(m_event)
                                         : PlainProtocol::encode(m_event, rendering == PlainMarked));
    }
    client->sendShared(batch, from, to);
}

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AdminWindow</name>
    <message>
        <source>groupchat server</source>
        <translation>groupchat 服务器</translation>
    </message>
    <message>
        <source>Connected clients</source>
        <translation>已连接的客户端</translation>
    </message>
    <message>
        <source>Server log</source>
        <translation>服务器日志</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>服务器(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Clients</source>
        <translation>客户端(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>&amp;Start Service</source>
        <translation>启动服务(&amp;S)</translation>
    </message>
    <message>
        <source>Listen for clients again</source>
        <translation>重新开始接受客户端连接</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>S&amp;top Service</source>
        <translation>停止服务(&amp;T)</translation>
    </message>
    <message>
        <source>Tell every client the server is shutting down, disconnect them and stop listening</source>
        <translation>通知所有客户端服务器即将关闭，断开他们的连接并停止监听</translation>
    </message>
    <message>
        <source>Ctrl+T</source>
        <translation>Ctrl+T</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>设置(&amp;T)…</translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <source>&amp;Kick…</source>
        <translation>踢出(&amp;K)…</translation>
    </message>
    <message>
        <source>Disconnect the selected clients, telling them why</source>
        <translation>断开所选客户端的连接，并告诉他们原因</translation>
    </message>
    <message>
        <source>Del</source>
        <translation>Del</translation>
    </message>
    <message>
        <source>&amp;Ban Address…</source>
        <translation>封禁地址(&amp;B)…</translation>
    </message>
    <message>
        <source>Disconnect and refuse an address while the server runs</source>
        <translation>在服务器运行期间断开并拒绝某个地址</translation>
    </message>
    <message>
        <source>&amp;Lift Ban…</source>
        <translation>解除封禁(&amp;L)…</translation>
    </message>
    <message>
        <source>Send &amp;Notice…</source>
        <translation>发送通知(&amp;N)…</translation>
    </message>
    <message>
        <source>Send a notice to everyone</source>
        <translation>向所有人发送通知</translation>
    </message>
    <message>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <source>&amp;About groupchat server</source>
        <translation>关于 groupchat 服务器(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <source>up %1 d %2 h</source>
        <translation>已运行 %1 天 %2 小时</translation>
    </message>
    <message>
        <source>up %1 h %2 min</source>
        <translation>已运行 %1 小时 %2 分</translation>
    </message>
    <message>
        <source>up %1 min %2 s</source>
        <translation>已运行 %1 分 %2 秒</translation>
    </message>
    <message>
        <source>Stop the server?</source>
        <translation>停止服务器？</translation>
    </message>
    <message numerus="yes">
        <source>The service is running with %n client(s) connected. Closing this window stops it: everyone is told the server is shutting down.</source>
        <translation>
            <numerusform>服务正在运行，有 %n 个客户端已连接。关闭此窗口会停止服务：所有人都会收到服务器即将关闭的通知。</numerusform>
        </translation>
    </message>
    <message>
        <source>Stop and Close</source>
        <translation>停止并关闭</translation>
    </message>
    <message>
        <source>Kick</source>
        <translation>踢出</translation>
    </message>
    <message>
        <source>Ban Address</source>
        <translation>封禁地址</translation>
    </message>
    <message>
        <source>Not banned: “%1” is not an IP address.</source>
        <translation>未封禁：“%1”不是 IP 地址。</translation>
    </message>
    <message>
        <source>No address is banned.</source>
        <translation>没有被封禁的地址。</translation>
    </message>
    <message>
        <source>Lift Ban</source>
        <translation>解除封禁</translation>
    </message>
    <message>
        <source>Let this address connect again:</source>
        <translation>允许此地址重新连接：</translation>
    </message>
    <message>
        <source>Send Notice</source>
        <translation>发送通知</translation>
    </message>
    <message>
        <source>Settings saved; they apply the next time the service starts.</source>
        <translation>设置已保存，将在下次启动服务时生效。</translation>
    </message>
    <message>
        <source>About groupchat server</source>
        <translation>关于 groupchat 服务器</translation>
    </message>
    <message>
        <source>&lt;h3&gt;groupchat server %1&lt;/h3&gt;&lt;p&gt;A small, fast group chat for teams and LANs.&lt;/p&gt;&lt;p&gt;Clients join with the groupchat desktop client, or with &lt;tt&gt;nc HOST PORT&lt;/tt&gt;.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;groupchat 服务器 %1&lt;/h3&gt;&lt;p&gt;一个小巧、快速的团队与局域网群聊工具。&lt;/p&gt;&lt;p&gt;客户端可以用 groupchat 桌面客户端加入，也可以用 &lt;tt&gt;nc 主机 端口&lt;/tt&gt;。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Clients connect to: %1</source>
        <translation>客户端连接地址：%1</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>The service is stopped: nobody can connect. Server › Start Service listens again.</source>
        <translation>服务已停止：任何人都无法连接。使用“服务器 › 启动服务”重新开始监听。</translation>
    </message>
    <message numerus="yes">
        <source>%n client(s)</source>
        <translation>
            <numerusform>%n 个客户端</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 msg/s</source>
        <translation>%1 条/秒</translation>
    </message>
    <message>
        <source>every IPv4 and IPv6 address</source>
        <translation>所有 IPv4 和 IPv6 地址</translation>
    </message>
    <message>
        <source>every IPv4 address</source>
        <translation>所有 IPv4 地址</translation>
    </message>
    <message>
        <source>Clients connect to: %1
TLS certificate fingerprint (SHA-256): %2</source>
        <translation>客户端连接到：%1
TLS 证书指纹（SHA-256）：%2</translation>
    </message>
    <message numerus="yes">
        <source>Cluster %1: connected; %n server(s): %2</source>
        <translation>
            <numerusform>集群 %1：已连接；%n 台服务器：%2</numerusform>
        </translation>
    </message>
    <message>
        <source>Cluster %1: degraded, Redis is unreachable; what clients say waits and is delivered when it is back</source>
        <translation>集群 %1：降级运行，无法连接 Redis；客户端发送的消息会等待，待其恢复后再送达</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Bans</source>
        <translation>封禁</translation>
    </message>
    <message>
        <source>Banned addresses</source>
        <translation>已封禁的地址</translation>
    </message>
    <message>
        <source>Banned addresses cannot connect; the bans are kept in the history database.</source>
        <translation>被封禁的地址无法连接；封禁记录保存在历史数据库中。</translation>
    </message>
    <message>
        <source>Ban Address…</source>
        <translation>封禁地址…</translation>
    </message>
    <message>
        <source>Disconnect every client from this address and refuse it from now on:</source>
        <translation>断开来自此地址的所有客户端，并从现在起拒绝它：</translation>
    </message>
    <message>
        <source>Enter an IPv4 or IPv6 address.</source>
        <translation>请输入 IPv4 或 IPv6 地址。</translation>
    </message>
    <message>
        <source>This address is banned already.</source>
        <translation>此地址已被封禁。</translation>
    </message>
    <message>
        <source>No client is connected from this address now.</source>
        <translation>目前没有来自此地址的客户端。</translation>
    </message>
    <message>
        <source>Clients (%1)</source>
        <translation>客户端（%1）</translation>
    </message>
    <message>
        <source>Bans (%1)</source>
        <translation>封禁（%1）</translation>
    </message>
    <message>
        <source>Ban</source>
        <translation>封禁</translation>
    </message>
    <message>
        <source>Connected from this address now, and disconnected by the ban: %1</source>
        <translation>目前从此地址连接、将因封禁被断开的有：%1</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>聊天室</translation>
    </message>
    <message>
        <source>Everyone is in the default room from the start; people make other rooms by joining them.</source>
        <translation>每个人一开始都在默认聊天室里；加入一个新名字即可创建别的聊天室。</translation>
    </message>
    <message>
        <source>Notice to Room…</source>
        <translation>向聊天室发通知…</translation>
    </message>
    <message>
        <source>Close Room…</source>
        <translation>关闭聊天室…</translation>
    </message>
    <message>
        <source>Kick %1? They see this reason.</source>
        <translation>要踢出 %1 吗？他们会看到这个理由。</translation>
    </message>
    <message>
        <source>The whole server (disconnect)</source>
        <translation>整个服务器（断开连接）</translation>
    </message>
    <message>
        <source>A notice from the admin, shown to everyone it is for:</source>
        <translation>来自管理员的通知，发给所选的每个人：</translation>
    </message>
    <message>
        <source>Everyone connected</source>
        <translation>所有已连接的人</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Close Room</source>
        <translation>关闭聊天室</translation>
    </message>
    <message>
        <source>Close %1? Everyone in it is told why and leaves it; those in no other room are put in %2. Its history is deleted.</source>
        <translation>要关闭 %1 吗？其中每个人都会被告知原因并离开；不在其他聊天室的人会被放进 %2。它的历史记录会被删除。</translation>
    </message>
    <message>
        <source>%1 is gone already.</source>
        <translation>%1 已经不存在了。</translation>
    </message>
    <message>
        <source>Rooms (%1)</source>
        <translation>聊天室（%1）</translation>
    </message>
    <message>
        <source>why (they see it; may be left empty)</source>
        <translation>原因（对方会看到；可以留空）</translation>
    </message>
    <message>
        <source>, IRC on port %1</source>
        <translation>，IRC 端口 %1</translation>
    </message>
    <message>
        <source>Listening on %1, port %2, TLS on port %3%4</source>
        <translation>正在监听 %1，端口 %2，TLS 端口 %3%4</translation>
    </message>
    <message>
        <source>Listening on %1, port %2%3</source>
        <translation>正在监听 %1，端口 %2%3</translation>
    </message>
    <message>
        <source>IRC clients (HexChat, irssi, WeeChat) connect to port %1 of the same addresses</source>
        <translation>IRC 客户端（HexChat、irssi、WeeChat）连接到同样地址的 %1 端口</translation>
    </message>
    <message>
        <source>Port %1</source>
        <translation>端口 %1</translation>
    </message>
    <message>
        <source>Announced on the LAN: DNS-SD (Avahi) and discovery probes on UDP port %1</source>
        <translation>已在局域网中公布：DNS-SD（Avahi），以及 UDP 端口 %1 上的发现探测</translation>
    </message>
    <message>
        <source>Announced on the LAN by DNS-SD (Avahi)</source>
        <translation>已通过 DNS-SD（Avahi）在局域网中公布</translation>
    </message>
    <message>
        <source>Announced on the LAN by discovery probes on UDP port %1 (no DNS-SD: no avahi-daemon)</source>
        <translation>已通过 UDP 端口 %1 上的发现探测在局域网中公布（没有 DNS-SD：未运行 avahi-daemon）</translation>
    </message>
    <message>
        <source>Not announced on the LAN: see the log</source>
        <translation>未在局域网中公布：请查看日志</translation>
    </message>
    <message>
        <source>Not announced on the LAN (switched off)</source>
        <translation>未在局域网中公布（已关闭）</translation>
    </message>
</context>
<context>
    <name>BanListModel</name>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Banned since</source>
        <translation>封禁时间</translation>
    </message>
</context>
<context>
    <name>ChatServer</name>
    <message>
        <source>groupchat on %1</source>
        <translation>%1 上的 groupchat</translation>
    </message>
</context>
<context>
    <name>ClientListModel</name>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>plain</source>
        <translation>纯文本</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新连接</translation>
    </message>
    <message>
        <source>plain: nc, telnet, scripts; JSON: the desktop client; new: nothing sent yet</source>
        <translation>纯文本：nc、telnet、脚本；JSON：桌面客户端；新连接：还没有发送任何内容</translation>
    </message>
    <message>
        <source>Bytes the server sent to this client</source>
        <translation>服务器发送给此客户端的字节数</translation>
    </message>
    <message>
        <source>Bytes waiting for this client to read them; past the limit it is disconnected</source>
        <translation>等待此客户端读取的字节数；超过上限就会断开连接</translation>
    </message>
    <message>
        <source>Nick</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Connected since</source>
        <translation>连接时间</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Sent to it</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Send queue</source>
        <translation>发送队列</translation>
    </message>
    <message>
        <source>%1 (TLS)</source>
        <translation>%1（TLS）</translation>
    </message>
    <message>
        <source>Messages this client sent, to its rooms and privately</source>
        <translation>此客户端发送的消息，包括发到聊天室的和私聊的</translation>
    </message>
    <message>
        <source>The rooms this client is in, in the order it joined them</source>
        <translation>此客户端所在的聊天室，按加入顺序</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>聊天室</translation>
    </message>
    <message>
        <source>IRC</source>
        <translation>IRC</translation>
    </message>
    <message>
        <source>IRC, registering</source>
        <translation>IRC，正在注册</translation>
    </message>
</context>
<context>
    <name>ClusterAddress</name>
    <message>
        <source>--redis takes redis://HOST:PORT[/ROOM], not %1</source>
        <translation>--redis 的格式是 redis://主机:端口[/聊天室]，而不是 %1</translation>
    </message>
    <message>
        <source>a room name has at most 64 characters, without / or :</source>
        <translation>聊天室名称最多 64 个字符，且不能包含 / 或 :</translation>
    </message>
</context>
<context>
    <name>NickRules</name>
    <message>
        <source>1 to %1 letters or digits of one writing system (Latin may be mixed with one that does not look like it), with their accents and vowel signs, and _ - or .; nothing invisible, and not one that looks like a nick in use</source>
        <translation>1 到 %1 个同一书写系统的字母或数字（拉丁字母可与一种外形不相似的文字混用），可带其重音符号和元音符号，可含 _ - 或 .；不得含不可见字符，也不得与在线者的昵称相似</translation>
    </message>
    <message>
        <source>The nick is empty.</source>
        <translation>昵称为空。</translation>
    </message>
    <message>
        <source>The nick %1 is longer than %2 characters.</source>
        <translation>昵称 %1 超过了 %2 个字符。</translation>
    </message>
    <message>
        <source>The nick %1 has a character nicks cannot have: %2.</source>
        <translation>昵称 %1 含有昵称中不允许的字符：%2。</translation>
    </message>
    <message>
        <source>The nick %1 has an invisible character: %2.</source>
        <translation>昵称 %1 含有不可见字符：%2。</translation>
    </message>
    <message>
        <source>The nick %1 has an invisible character.</source>
        <translation>昵称 %1 含有不可见字符。</translation>
    </message>
    <message>
        <source>The nick %1 has an accent or vowel sign without its letter: %2.</source>
        <translation>昵称 %1 含有不跟随字母的重音符号或元音符号：%2。</translation>
    </message>
    <message>
        <source>The nick %1 mixes writing systems that look alike.</source>
        <translation>昵称 %1 混用了外形相似的书写系统。</translation>
    </message>
    <message>
        <source>The nick %1 has no letter or digit.</source>
        <translation>昵称 %1 中没有字母或数字。</translation>
    </message>
</context>
<context>
    <name>RoomActionDialog</name>
    <message>
        <source>&amp;To:</source>
        <translation>发给(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Text:</source>
        <translation>内容(&amp;X)：</translation>
    </message>
</context>
<context>
    <name>RoomListModel</name>
    <message>
        <source>%1: everyone is in it from the start; it cannot be closed</source>
        <translation>%1：每个人一开始都在里面；不能关闭</translation>
    </message>
    <message>
        <source>%1
set by %2, %3</source>
        <translation>%1
由 %2 设置，%3</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>聊天室</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>主题</translation>
    </message>
</context>
<context>
    <name>ServerConfig</name>
    <message>
        <source>cannot read the password file %1: %2</source>
        <translation>无法读取密码文件 %1：%2</translation>
    </message>
    <message>
        <source>the password file %1 is empty</source>
        <translation>密码文件 %1 是空的</translation>
    </message>
</context>
<context>
    <name>ServerLog</name>
    <message>
        <source>received %1, shutting down</source>
        <translation>收到 %1，正在关闭</translation>
    </message>
    <message>
        <source>no display: running without a window (--headless says so)</source>
        <translation>没有显示器：以无窗口方式运行（即 --headless）</translation>
    </message>
    <message>
        <source>type quit to stop the server</source>
        <translation>输入 quit 停止服务器</translation>
    </message>
    <message>
        <source>type quit here or press Ctrl+C to stop</source>
        <translation>在此输入 quit 或按 Ctrl+C 停止</translation>
    </message>
    <message numerus="yes">
        <source>refused %n more connection(s) from %1 in the last minute</source>
        <translation>
            <numerusform>过去一分钟内又拒绝了来自 %1 的 %n 个连接</numerusform>
        </translation>
    </message>
    <message>
        <source>history in %1: %2 message(s), the last id %3; %4 address(es) banned</source>
        <translation>历史记录位于 %1：%2 条消息，最新编号 %3；已封禁 %4 个地址</translation>
    </message>
    <message>
        <source>cannot listen on %1 port %2: %3</source>
        <translation>无法在 %1 端口 %2 上监听：%3</translation>
    </message>
    <message>
        <source>listening on %1 port %2</source>
        <translation>正在 %1 端口 %2 上监听</translation>
    </message>
    <message>
        <source>cannot listen on %1 port %2 (TLS): %3</source>
        <translation>无法在 %1 端口 %2 上监听（TLS）：%3</translation>
    </message>
    <message>
        <source>TLS on port %1; certificate fingerprint (SHA-256) %2</source>
        <translation>TLS 端口 %1；证书指纹（SHA-256）%2</translation>
    </message>
    <message>
        <source>no IRC: cannot listen on %1 port %2 (%3); --irc-port N picks another</source>
        <translation>不提供 IRC：无法在 %1 端口 %2 上监听（%3）；可用 --irc-port N 另选端口</translation>
    </message>
    <message>
        <source>cannot listen on %1 port %2 (IRC): %3</source>
        <translation>无法在 %1 端口 %2 上监听（IRC）：%3</translation>
    </message>
    <message>
        <source>IRC on port %1</source>
        <translation>IRC 端口 %1</translation>
    </message>
    <message>
        <source>%1 (%2) kicked from %3: %4</source>
        <translation>%1（%2）被踢出 %3：%4</translation>
    </message>
    <message>
        <source>%1 (%2) kicked: %3</source>
        <translation>%1（%2）被踢出：%3</translation>
    </message>
    <message>
        <source>cannot store the ban in %1: %2</source>
        <translation>无法将封禁保存到 %1：%2</translation>
    </message>
    <message>
        <source>banned %1</source>
        <translation>已封禁 %1</translation>
    </message>
    <message>
        <source>%1 (%2) disconnected for the ban</source>
        <translation>%1（%2）因封禁被断开</translation>
    </message>
    <message>
        <source>lifted the ban on %1</source>
        <translation>已解除对 %1 的封禁</translation>
    </message>
    <message>
        <source>cannot remove the ban from %1: %2</source>
        <translation>无法从 %1 中删除封禁：%2</translation>
    </message>
    <message>
        <source>admin notice: %1</source>
        <translation>管理员通知：%1</translation>
    </message>
    <message>
        <source>admin notice to %1: %2</source>
        <translation>发往 %1 的管理员通知：%2</translation>
    </message>
    <message numerus="yes">
        <source>stopping: telling %n client(s)</source>
        <translation>
            <numerusform>正在停止：通知 %n 个客户端</numerusform>
        </translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>refused %1 (TLS): %2</source>
        <translation>已拒绝 %1（TLS）：%2</translation>
    </message>
    <message>
        <source>cannot serve %1:%2 over TLS: no socket pair (%3)</source>
        <translation>无法通过 TLS 为 %1:%2 提供服务：无法创建套接字对（%3）</translation>
    </message>
    <message>
        <source>%1 (%2) gave a wrong password; answering in %3 ms</source>
        <translation>%1（%2）密码错误；%3 毫秒后答复</translation>
    </message>
    <message>
        <source>refused %1: %2</source>
        <translation>已拒绝 %1：%2</translation>
    </message>
    <message>
        <source>refused a connection whose address is unknown (it was reset before it was accepted)</source>
        <translation>已拒绝一个地址未知的连接（它在被接受之前已重置）</translation>
    </message>
    <message numerus="yes">
        <source>%1 connected as %2 (%n connected)</source>
        <translation>
            <numerusform>%1 以 %2 身份连接（已连接 %n 个）</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2) takes over its earlier connection from %3</source>
        <translation>%1（%2）接替其来自 %3 的先前连接</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%2) disconnected: %3 (%n connected)</source>
        <translation>
            <numerusform>%1（%2）已断开：%3（已连接 %n 个）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n in %1: joins and leaves are announced again</source>
        <translation>
            <numerusform>%1 中有 %n 人：重新通告加入和离开</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2) is now known as %3</source>
        <translation>%1（%2）现在改名为 %3</translation>
    </message>
    <message>
        <source>cluster: joining %1 as server %2</source>
        <translation>集群：以服务器 %2 的身份加入 %1</translation>
    </message>
    <message>
        <source>cluster: connected to Redis at %1</source>
        <translation>集群：已连接到 %1 的 Redis</translation>
    </message>
    <message>
        <source>cluster degraded: Redis at %1 is unreachable (%2); what clients say waits and is delivered when it is back</source>
        <translation>集群降级：无法连接 %1 的 Redis（%2）；客户端发送的消息会等待，待其恢复后再送达</translation>
    </message>
    <message>
        <source>cluster: cannot prepare the room: %1</source>
        <translation>集群：无法准备聊天室：%1</translation>
    </message>
    <message>
        <source>cluster: reading the room failed: %1</source>
        <translation>集群：读取聊天室失败：%1</translation>
    </message>
    <message>
        <source>%1 (%2) sent a line over %3 bytes</source>
        <translation>%1（%2）发送的一行超过 %3 字节</translation>
    </message>
    <message>
        <source>%1 (%2) sent a bad request: %3</source>
        <translation>%1（%2）发送了错误的请求：%3</translation>
    </message>
    <message>
        <source>%1 (%2) speaks JSON</source>
        <translation>%1（%2）使用 JSON</translation>
    </message>
    <message>
        <source>%1 (%2) set the topic of %3: %4</source>
        <translation>%1（%2）设置了 %3 的主题：%4</translation>
    </message>
    <message>
        <source>%1 (%2) sent an IRC line over the limit</source>
        <translation>%1（%2）发送的 IRC 行超出限制</translation>
    </message>
    <message>
        <source>%1 (%2) sent a line that is no IRC message: %3</source>
        <translation>%1（%2）发送的一行不是 IRC 消息：%3</translation>
    </message>
    <message>
        <source>%1 (%2) sent an IRC command this server does not know: %3</source>
        <translation>%1（%2）发送了本服务器不认识的 IRC 命令：%3</translation>
    </message>
    <message>
        <source>%1 (%2) speaks IRC</source>
        <translation>%1（%2）使用 IRC</translation>
    </message>
    <message>
        <source>cannot use the history database %1: %2; history is kept in memory only</source>
        <translation>无法使用历史数据库 %1：%2；历史记录仅保存在内存中</translation>
    </message>
    <message>
        <source>the history database %1 is written again</source>
        <translation>历史数据库 %1 已恢复写入</translation>
    </message>
    <message>
        <source>cannot write the history database %1: %2; new messages are kept in memory only, trying again every %3 s</source>
        <translation>无法写入历史数据库 %1：%2；新消息仅保存在内存中，每 %3 秒重试一次</translation>
    </message>
    <message>
        <source>cannot remove old messages from %1: %2</source>
        <translation>无法从 %1 中删除旧消息：%2</translation>
    </message>
    <message numerus="yes">
        <source>closing %1 (%n here): %2</source>
        <translation>
            <numerusform>正在关闭 %1（其中有 %n 人）：%2</numerusform>
        </translation>
    </message>
    <message>
        <source>cannot remove %1 from %2: %3</source>
        <translation>无法从 %2 中删除 %1：%3</translation>
    </message>
    <message numerus="yes">
        <source>more than %n in %1: joins and leaves are no longer announced</source>
        <translation>
            <numerusform>%1 中超过 %n 人：不再通告加入和离开</numerusform>
        </translation>
    </message>
    <message>
        <source>cannot store %1 in %2: %3</source>
        <translation>无法将 %1 保存到 %2：%3</translation>
    </message>
    <message numerus="yes">
        <source>%n rooms: %1, where nobody is, makes way for a new one</source>
        <translation>
            <numerusform>已有 %n 个聊天室：无人的 %1 让位给新聊天室</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2) made %3</source>
        <translation>%1（%2）创建了 %3</translation>
    </message>
    <message>
        <source>clients connect to %1 (try: nc %2 %3)</source>
        <translation>客户端连接地址：%1（试试：nc %2 %3）</translation>
    </message>
    <message>
        <source>%1:%2 (TLS) dropped before the handshake completed: %3</source>
        <translation>%1:%2（TLS）在握手完成前断开：%3</translation>
    </message>
    <message>
        <source>not a TLS client, or it said nothing</source>
        <translation>不是 TLS 客户端，或者它什么也没发送</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>未说明原因</translation>
    </message>
    <message>
        <source>quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>banned</source>
        <translation>已封禁</translation>
    </message>
    <message>
        <source>server shutting down</source>
        <translation>服务器正在关闭</translation>
    </message>
    <message>
        <source>wrong password</source>
        <translation>密码错误</translation>
    </message>
    <message>
        <source>no password</source>
        <translation>未提供密码</translation>
    </message>
    <message>
        <source>no first line</source>
        <translation>未收到第一行</translation>
    </message>
    <message>
        <source>registration timed out</source>
        <translation>注册超时</translation>
    </message>
    <message>
        <source>ping timeout</source>
        <translation>ping 超时</translation>
    </message>
    <message>
        <source>excess flood</source>
        <translation>发送过多（刷屏）</translation>
    </message>
    <message>
        <source>send queue exceeded</source>
        <translation>发送队列已满</translation>
    </message>
    <message>
        <source>replaced by a new connection</source>
        <translation>已被新连接取代</translation>
    </message>
    <message>
        <source>a TLS handshake on the plain port</source>
        <translation>在明文端口上进行 TLS 握手</translation>
    </message>
    <message>
        <source>connection closed</source>
        <translation>连接已关闭</translation>
    </message>
    <message>
        <source>connection reset by peer</source>
        <translation>连接被对方重置</translation>
    </message>
    <message>
        <source>connection timed out</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <source>bad hello: bad identity</source>
        <translation>错误的 hello：身份无效</translation>
    </message>
    <message>
        <source>kicked: no reason given</source>
        <translation>被踢出：未说明原因</translation>
    </message>
    <message>
        <source>closed by the admin</source>
        <translation>被管理员关闭</translation>
    </message>
    <message>
        <source>server full</source>
        <translation>服务器已满</translation>
    </message>
    <message>
        <source>you are banned from this server</source>
        <translation>该地址已被本服务器封禁</translation>
    </message>
    <message>
        <source>too many connections from your address</source>
        <translation>来自该地址的连接过多</translation>
    </message>
    <message>
        <source>too many new connections from your address; try again in a minute</source>
        <translation>来自该地址的新连接过多；一分钟后再试</translation>
    </message>
    <message>
        <source>quit: %1</source>
        <translation>退出：%1</translation>
    </message>
    <message>
        <source>kicked: %1</source>
        <translation>被踢出：%1</translation>
    </message>
    <message>
        <source>closed by the admin: %1</source>
        <translation>被管理员关闭：%1</translation>
    </message>
    <message>
        <source>bad hello: %1</source>
        <translation>错误的 hello：%1</translation>
    </message>
    <message>
        <source>unsupported protocol version %1</source>
        <translation>不支持的协议版本 %1</translation>
    </message>
    <message>
        <source>%1 (%2) sent a search that is empty or too long</source>
        <translation>%1（%2）发送的搜索为空或过长</translation>
    </message>
    <message>
        <source>%1 (%2) asked for the history with %3, which cannot be a nick</source>
        <translation>%1（%2）请求与 %3 的历史记录，但这不可能是昵称</translation>
    </message>
    <message>
        <source>discovery: ignored a probe from %1: %2 (further ones are ignored quietly)</source>
        <translation>发现：已忽略来自 %1 的探测：%2（之后的将静默忽略）</translation>
    </message>
    <message>
        <source>announced on the LAN by DNS-SD as %1 (%2)</source>
        <translation>已通过 DNS-SD 在局域网中宣告为 %1（%2）</translation>
    </message>
    <message>
        <source>not announced on the LAN (--announce off)</source>
        <translation>未在局域网中宣告（--announce off）</translation>
    </message>
    <message>
        <source>answering LAN discovery probes on UDP port %1</source>
        <translation>正在 UDP 端口 %1 上应答局域网发现探测</translation>
    </message>
    <message>
        <source>cannot answer LAN discovery probes on UDP port %1 (%2); clients find the server by DNS-SD or by its address</source>
        <translation>无法在 UDP 端口 %1 上应答局域网发现探测（%2）；客户端可通过 DNS-SD 或地址找到服务器</translation>
    </message>
    <message>
        <source>not announced by DNS-SD: no Avahi (%1); clients on the LAN still find the server by UDP discovery</source>
        <translation>未通过 DNS-SD 宣告：没有 Avahi（%1）；局域网中的客户端仍可通过 UDP 发现找到服务器</translation>
    </message>
    <message>
        <source>not announced by DNS-SD: no avahi-daemon is running (clients on the LAN still find the server by UDP discovery); announcing when one starts</source>
        <translation>未通过 DNS-SD 宣告：没有运行 avahi-daemon（局域网中的客户端仍可通过 UDP 发现找到服务器）；它启动后即宣告</translation>
    </message>
    <message>
        <source>not announced by DNS-SD: %1</source>
        <translation>未通过 DNS-SD 宣告：%1</translation>
    </message>
    <message>
        <source>not announced by DNS-SD: the services could not be registered</source>
        <translation>未通过 DNS-SD 宣告：无法注册服务</translation>
    </message>
    <message>
        <source>cluster: message %1 arrived after %2; left out</source>
        <translation>集群：消息 %1 在 %2 之后才到达，已略去</translation>
    </message>
    <message numerus="yes">
        <source>cluster: publishing %n message(s) that waited for Redis</source>
        <translation>
            <numerusform>集群：正在发布 %n 条等待 Redis 的消息</numerusform>
        </translation>
    </message>
    <message>
        <source>cluster: publishing failed, trying again: %1</source>
        <translation>集群：发布失败，正在重试：%1</translation>
    </message>
    <message numerus="yes">
        <source>it has not answered for %n second(s)</source>
        <translation>
            <numerusform>它已 %n 秒没有应答</numerusform>
        </translation>
    </message>
    <message>
        <source>cluster: Redis came back empty before this server had read messages %1 to %2; they are lost here, and a resume from before them is told so</source>
        <translation>集群：Redis 在本服务器读取消息 %1 至 %2 之前已清空重启；这些消息在此处丢失，从它们之前恢复的客户端会得到提示</translation>
    </message>
    <message>
        <source>cannot write to %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>cluster: message %1 is message %2 again; left out</source>
        <translation>集群：消息 %1 与消息 %2 相同；已略去</translation>
    </message>
    <message>
        <source>%1 (%2) did not close its IRC multiline batch %3 within %4 s; it was dropped with its %5 line(s)</source>
        <translation>%1（%2）未在 %4 秒内关闭其 IRC 多行批次 %3；已连同其 %5 行一并丢弃</translation>
    </message>
    <message>
        <source>cluster: message %1 was published before (server %2, number %3); left out</source>
        <translation>集群：消息 %1 之前已发布过（服务器 %2，编号 %3）；已略去</translation>
    </message>
    <message>
        <source>cluster: this server&apos;s history begins with the cluster&apos;s epoch at %1; a resume from before it is told that history is not complete</source>
        <translation>集群：本服务器的历史从集群纪元 %1 开始；从其之前恢复的会被告知历史不完整</translation>
    </message>
    <message>
        <source>cluster: Redis came back empty; holding the room&apos;s new messages back until this server has everything up to %1 and what the other servers had read</source>
        <translation>集群：Redis 重启后为空；暂缓房间的新消息，直到本服务器拥有截至 %1 的全部消息以及其他服务器已读取的消息</translation>
    </message>
    <message>
        <source>cluster: asking the other servers for messages %1 to %2, which Redis lost before this server had read them</source>
        <translation>集群：正在向其他服务器索取消息 %1 至 %2，这些消息在本服务器读取之前已被 Redis 丢失</translation>
    </message>
    <message numerus="yes">
        <source>cluster: %n message(s) of those Redis lost came from the other servers (%1 to %2 asked for)</source>
        <translation>
            <numerusform>集群：Redis 丢失的消息中有 %n 条已从其他服务器取得（索取了 %1 至 %2）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>cluster: gave server %1 %n message(s) that Redis lost before it had read them</source>
        <translation>
            <numerusform>集群：已向服务器 %1 提供 %n 条其读取之前被 Redis 丢失的消息</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Server Settings</source>
        <translation>服务器设置</translation>
    </message>
    <message>
        <source>Server &amp;name:</source>
        <translation>服务器名称(&amp;N)：</translation>
    </message>
    <message>
        <source>groupchat on this computer</source>
        <translation>本机上的 groupchat</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Listen on:</source>
        <translation>监听地址(&amp;L)：</translation>
    </message>
    <message>
        <source>every IPv4 and IPv6 address</source>
        <translation>所有 IPv4 和 IPv6 地址</translation>
    </message>
    <message>
        <source>An IP address of this computer, or empty for all of them</source>
        <translation>本机的某个 IP 地址，留空表示所有地址</translation>
    </message>
    <message>
        <source>&amp;Most clients:</source>
        <translation>最多客户端数(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;History for newcomers:</source>
        <translation>新成员可见历史(&amp;H)：</translation>
    </message>
    <message>
        <source> messages</source>
        <translation> 条消息</translation>
    </message>
    <message>
        <source>History &amp;kept:</source>
        <translation>保留历史(&amp;K)：</translation>
    </message>
    <message>
        <source>Longest &amp;line:</source>
        <translation>最长行(&amp;L)：</translation>
    </message>
    <message>
        <source> bytes</source>
        <translation> 字节</translation>
    </message>
    <message>
        <source>&amp;Send queue per client:</source>
        <translation>每个客户端的发送队列(&amp;S)：</translation>
    </message>
    <message>
        <source> KiB</source>
        <translation> KiB</translation>
    </message>
    <message>
        <source>A client that falls this far behind is disconnected</source>
        <translation>落后这么多的客户端会被断开连接</translation>
    </message>
    <message>
        <source>Changes apply the next time the service starts.</source>
        <translation>更改将在下次启动服务时生效。</translation>
    </message>
    <message>
        <source>Changes apply the next time the service starts. For as long as this program runs, %1 given on the command line win over these settings.</source>
        <translation>更改将在下次启动服务时生效。在本程序运行期间，命令行中给出的 %1 优先于这些设置。</translation>
    </message>
    <message>
        <source>“%1” is not an IP address. Leave it empty to listen on all of them.</source>
        <translation>“%1”不是 IP 地址。留空即可监听所有地址。</translation>
    </message>
    <message>
        <source>Announce &amp;joins up to:</source>
        <translation>公告加入上限(&amp;J)：</translation>
    </message>
    <message>
        <source> people</source>
        <translation> 人</translation>
    </message>
    <message>
        <source>In larger rooms joins, leaves and nick changes are not announced to everyone</source>
        <translation>在人数更多的聊天室里，加入、离开和改名不再通知所有人</translation>
    </message>
    <message>
        <source>messages (5000), or days (30d); 0 keeps everything</source>
        <translation>消息条数（5000）或天数（30d）；0 表示全部保留</translation>
    </message>
    <message>
        <source>Kept in the history database, for desktop clients that reconnect and ask for what they missed: a number of messages, or of days with a d (30d)</source>
        <translation>保存在历史数据库中，供重新连接并请求错过消息的桌面客户端使用：消息条数，或带 d 的天数（30d）</translation>
    </message>
    <message>
        <source>Keep a number of messages (5000), or of days (30d).</source>
        <translation>请填写消息条数（5000）或天数（30d）。</translation>
    </message>
    <message>
        <source>&amp;Default room:</source>
        <translation>默认聊天室(&amp;D)：</translation>
    </message>
    <message>
        <source>#general</source>
        <translation>#general</translation>
    </message>
    <message>
        <source>Everyone is in this room from the start; it cannot be closed</source>
        <translation>所有人一开始就在这个聊天室里；它不能被关闭</translation>
    </message>
    <message>
        <source>&amp;Rooms on the server:</source>
        <translation>服务器上的聊天室(&amp;R)：</translation>
    </message>
    <message>
        <source> rooms</source>
        <translation> 个聊天室</translation>
    </message>
    <message>
        <source>At the limit, the oldest room nobody is in makes way for a new one</source>
        <translation>达到上限时，最早的无人聊天室会为新聊天室让位</translation>
    </message>
    <message>
        <source>Rooms per &amp;client:</source>
        <translation>每个客户端的聊天室(&amp;C)：</translation>
    </message>
    <message>
        <source>Longest &amp;topic:</source>
        <translation>最长话题(&amp;T)：</translation>
    </message>
    <message>
        <source> characters</source>
        <translation> 个字符</translation>
    </message>
    <message>
        <source>Not a room name: %1</source>
        <translation>不是有效的聊天室名：%1</translation>
    </message>
    <message>
        <source>&amp;IRC port:</source>
        <translation>IRC 端口(&amp;I)：</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Where IRC clients (HexChat, irssi, WeeChat) connect; 0 serves no IRC</source>
        <translation>IRC 客户端（HexChat、irssi、WeeChat）连接的端口；0 表示不提供 IRC</translation>
    </message>
    <message>
        <source>&amp;Announce the server on the LAN</source>
        <translation>在局域网中公布服务器(&amp;A)</translation>
    </message>
    <message>
        <source>People on the same network see the server in their connect dialog without being told its address (DNS-SD through Avahi, and answers to discovery probes on UDP port 6666)</source>
        <translation>同一网络中的人无需被告知地址，就能在连接对话框中看到本服务器（通过 Avahi 的 DNS-SD，以及对 UDP 端口 6666 上发现探测的应答）</translation>
    </message>
</context>
<context>
    <name>TlsListener</name>
    <message>
        <source>cannot read the certificate %1: %2</source>
        <translation>无法读取证书 %1：%2</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate</source>
        <translation>%1 中没有 PEM 证书</translation>
    </message>
    <message>
        <source>cannot read the key %1: %2</source>
        <translation>无法读取密钥 %1：%2</translation>
    </message>
    <message>
        <source>%1 holds no PEM private key (EC or RSA, unencrypted)</source>
        <translation>%1 中没有 PEM 私钥（EC 或 RSA，未加密）</translation>
    </message>
    <message>
        <source>TLS is not available (Qt&apos;s OpenSSL backend did not load)</source>
        <translation>TLS 不可用（未能加载 Qt 的 OpenSSL 后端）</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>groupchat server</source>
        <translation>groupchat 服务器</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChatClient</name>
    <message>
        <source>Disconnected: %1</source>
        <translation>已断开连接：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n here: %1</source>
        <translation>
            <numerusform>%n 人在线：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>Unknown command %1. Type /help for the list.</source>
        <translation>未知命令 %1。输入 /help 查看命令列表。</translation>
    </message>
    <message>
        <source>You are %1.</source>
        <translation>你的昵称是 %1。</translation>
    </message>
    <message>
        <source>Usage: /me ACTION</source>
        <translation>用法：/me 动作</translation>
    </message>
    <message>
        <source>Usage: /msg NICK TEXT</source>
        <translation>用法：/msg 昵称 内容</translation>
    </message>
    <message>
        <source>You left the chat.</source>
        <translation>你已离开聊天。</translation>
    </message>
    <message>
        <source>Not connected: this was not sent.</source>
        <translation>未连接：这条消息没有发出。</translation>
    </message>
    <message>
        <source>Reconnected.</source>
        <translation>已重新连接。</translation>
    </message>
    <message>
        <source>Some messages from while you were away are no longer on the server.</source>
        <translation>你离开期间的部分消息已不在服务器上。</translation>
    </message>
    <message>
        <source>Connected to %1 (%2 port %3) as %4.</source>
        <translation>已连接到 %1（%2 端口 %3），昵称 %4。</translation>
    </message>
    <message>
        <source>Private message from %1</source>
        <translation>来自 %1 的私聊消息</translation>
    </message>
    <message>
        <source>The server is shutting down.</source>
        <translation>服务器正在关闭。</translation>
    </message>
    <message>
        <source>%1 mentioned you</source>
        <translation>%1 提到了你</translation>
    </message>
    <message>
        <source>Everyone here is listed again.</source>
        <translation>在线列表已恢复显示所有人。</translation>
    </message>
    <message numerus="yes">
        <source>%n people are here: too many to follow who comes and goes, so the list of who is online is not shown.</source>
        <translation>
            <numerusform>这里有 %n 人：人数太多，无法跟踪谁来谁走，因此不显示在线列表。</numerusform>
        </translation>
    </message>
    <message>
        <source>Here the password goes in the connect dialog (Chat › Connect).</source>
        <translation>密码请在连接对话框中输入（聊天 › 连接）。</translation>
    </message>
    <message>
        <source>First secure connection to %1 port %2: its certificate is now trusted for this server. Fingerprint (SHA-256): %3. The server&apos;s admin can confirm it; a different certificate later will be refused.</source>
        <translation>首次安全连接到 %1 端口 %2：此服务器的证书现已被信任。指纹（SHA-256）：%3。服务器管理员可以核实；以后出现不同的证书将被拒绝。</translation>
    </message>
    <message>
        <source>Some of the messages from while you were behind are no longer on the server.</source>
        <translation>你落后期间的部分消息已不在服务器上。</translation>
    </message>
    <message numerus="yes">
        <source>You fell behind the conversation; the %n message(s) you missed follow.</source>
        <translation>
            <numerusform>你落后于对话；错过的 %n 条消息如下。</numerusform>
        </translation>
    </message>
    <message>
        <source>You fell behind the conversation and have caught up.</source>
        <translation>你曾落后于对话，现已赶上。</translation>
    </message>
    <message>
        <source>Too long to send: %1 characters, and the server takes about %2 of text like this in one line.</source>
        <translation>太长，无法发送：共 %1 个字符，而服务器一行大约只接受 %2 个这类字符。</translation>
    </message>
    <message>
        <source>Commands: /join #ROOM (join or make a room), /part [REASON] (leave this room), /topic TEXT (set this room&apos;s topic), /rooms (list the rooms), /me ACTION (say what you do), /msg NICK TEXT (private message), /nick NAME (change your nick), /who (who is here), /quit [REASON] (leave). Start a line with // to send one that begins with /.</source>
        <translation>命令：/join #聊天室（加入或创建聊天室），/part [原因]（离开此聊天室），/topic 文字（设置此聊天室的主题），/rooms（列出聊天室），/me 动作（描述你在做什么），/msg 昵称 文字（私聊），/nick 名字（更改昵称），/who（谁在这里），/quit [原因]（离开）。以 // 开头可发送以 / 开头的消息。</translation>
    </message>
    <message>
        <source>Usage: /join #ROOM</source>
        <translation>用法：/join #聊天室</translation>
    </message>
    <message>
        <source>A private conversation has no topic.</source>
        <translation>私聊没有主题。</translation>
    </message>
    <message>
        <source>You are not in %1.</source>
        <translation>你不在 %1 中。</translation>
    </message>
    <message>
        <source>/me goes to rooms only; here, say it in words.</source>
        <translation>/me 只能用于聊天室；在这里请直接说出来。</translation>
    </message>
    <message>
        <source>You left %1; /join %1 to talk there again.</source>
        <translation>你已离开 %1；输入 /join %1 可再次在那里聊天。</translation>
    </message>
    <message>
        <source>left %1</source>
        <translation>离开了 %1</translation>
    </message>
    <message>
        <source>left %1: %2</source>
        <translation>离开了 %1：%2</translation>
    </message>
    <message>
        <source>%1 cleared the topic of %2.</source>
        <translation>%1 清除了 %2 的主题。</translation>
    </message>
    <message>
        <source>%1 set the topic of %2: %3</source>
        <translation>%1 将 %2 的主题设为：%3</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1（%2）：%3</translation>
    </message>
    <message>
        <source>Rooms: %1</source>
        <translation>聊天室：%1</translation>
    </message>
    <message>
        <source>%1 mentioned you in %2</source>
        <translation>%1 在 %2 中提到了你</translation>
    </message>
    <message>
        <source>That person is not online, so the message was not delivered.</source>
        <translation>对方不在线，消息未送达。</translation>
    </message>
    <message>
        <source>%1 is not online, so the message was not delivered.</source>
        <translation>%1 不在线，消息未送达。</translation>
    </message>
    <message>
        <source>That person is not keeping up with the chat right now, so the message was not delivered. Try again in a moment.</source>
        <translation>对方目前跟不上聊天进度，消息未送达。请稍后再试。</translation>
    </message>
    <message>
        <source>%1 is not keeping up with the chat right now, so the message was not delivered. Try again in a moment.</source>
        <translation>%1 目前跟不上聊天进度，消息未送达。请稍后再试。</translation>
    </message>
    <message>
        <source>%1 is too long: a room name has at most %2 characters after the #.</source>
        <translation>%1 太长：聊天室名称在 # 之后最多 %2 个字符。</translation>
    </message>
    <message>
        <source>%1 has a character room names cannot have: %2.</source>
        <translation>%1 含有聊天室名称不能使用的字符：%2。</translation>
    </message>
    <message>
        <source>%1 has an invisible character: %2.</source>
        <translation>%1 含有不可见字符：%2。</translation>
    </message>
    <message>
        <source>%1 has an invisible character.</source>
        <translation>%1 含有不可见字符。</translation>
    </message>
    <message>
        <source>%1 has an accent or vowel sign without its letter: %2.</source>
        <translation>%1 含有缺少所属字母的重音或元音符号：%2。</translation>
    </message>
    <message>
        <source>%1 mixes writing systems that look alike.</source>
        <translation>%1 混用了外形相似的文字系统。</translation>
    </message>
    <message>
        <source>%1 has no letter or digit.</source>
        <translation>%1 没有字母或数字。</translation>
    </message>
    <message>
        <source>A room name is # followed by 1 to %1 letters or digits of one writing system, with their accents and vowel signs, and _ - or .</source>
        <translation>聊天室名称是 # 加上 1 到 %1 个同一文字系统的字母或数字（可带重音和元音符号），以及 _ - 或 .</translation>
    </message>
    <message numerus="yes">
        <source>%n unsent message(s) from more than an hour ago were dropped: the server can no longer tell whether they arrived, so sending them again could show them twice.</source>
        <translation>
            <numerusform>%n 条超过一小时仍未发出的消息已被丢弃：服务器已无法判断它们是否送达，再次发送可能会重复显示。</numerusform>
        </translation>
    </message>
    <message>
        <source>not confirmed within an hour; it may or may not have arrived. Retry sends it again.</source>
        <translation>一小时内未得到确认；它可能已送达，也可能没有。“重试”会再发送一次。</translation>
    </message>
    <message>
        <source>the server&apos;s cluster is away and too many messages are waiting for it already. Try again later.</source>
        <translation>服务器的集群暂不可用，且已有太多消息在等待。请稍后再试。</translation>
    </message>
    <message>
        <source>too long for the server.</source>
        <translation>对服务器来说太长了。</translation>
    </message>
    <message>
        <source>you are not in that room.</source>
        <translation>你不在那个聊天室里。</translation>
    </message>
</context>
<context>
    <name>ChatConnection</name>
    <message>
        <source>It accepted the connection but sent no welcome.</source>
        <translation>它接受了连接，但没有发送欢迎信息。</translation>
    </message>
    <message>
        <source>The server closed the connection before welcoming us.</source>
        <translation>服务器在欢迎我们之前关闭了连接。</translation>
    </message>
    <message>
        <source>The server shut down.</source>
        <translation>服务器已关闭。</translation>
    </message>
    <message>
        <source>The server stopped answering.</source>
        <translation>服务器不再响应。</translation>
    </message>
    <message>
        <source>Nothing is accepting connections on %1 port %2. Check that the server is running and that the port is right; a firewall may also be refusing the connection.</source>
        <translation>%1 的端口 %2 上没有程序接受连接。请确认服务器正在运行、端口正确；也可能是防火墙拒绝了连接。</translation>
    </message>
    <message>
        <source>The host %1 could not be found. Check the spelling, or use its IP address.</source>
        <translation>找不到主机 %1。请检查拼写，或改用 IP 地址。</translation>
    </message>
    <message>
        <source>%1 did not answer in time. The host may be off or unreachable, or a firewall may be dropping the connection.</source>
        <translation>%1 没有及时响应。主机可能已关机或无法访问，也可能是防火墙丢弃了连接。</translation>
    </message>
    <message>
        <source>Someone on this server already uses the nick %1. Choose another one.</source>
        <translation>服务器上已经有人使用昵称 %1。请换一个。</translation>
    </message>
    <message>
        <source>The server is full. Try again later.</source>
        <translation>服务器已满，请稍后再试。</translation>
    </message>
    <message>
        <source>%1 port %2 does not answer like a groupchat server this client understands. Check the port, and whether client and server need updating. (%3)</source>
        <translation>%1 的端口 %2 的应答不像本客户端能理解的 groupchat 服务器。请检查端口，以及客户端和服务器是否需要更新。（%3）</translation>
    </message>
    <message>
        <source>The connection to %1 was lost (%2).</source>
        <translation>与 %1 的连接已断开（%2）。</translation>
    </message>
    <message>
        <source>Could not connect to %1 port %2: %3</source>
        <translation>无法连接到 %1 的端口 %2：%3</translation>
    </message>
    <message>
        <source>the server shut down</source>
        <translation>服务器已关闭</translation>
    </message>
    <message>
        <source>the server stopped answering</source>
        <translation>服务器不再响应</translation>
    </message>
    <message>
        <source>nothing listens on %1 port %2</source>
        <translation>%1 端口 %2 上没有服务在监听</translation>
    </message>
    <message>
        <source>host %1 not found</source>
        <translation>找不到主机 %1</translation>
    </message>
    <message>
        <source>%1 does not answer</source>
        <translation>%1 没有响应</translation>
    </message>
    <message>
        <source>nick taken</source>
        <translation>昵称已被占用</translation>
    </message>
    <message>
        <source>nick not allowed</source>
        <translation>昵称不可用</translation>
    </message>
    <message>
        <source>server full</source>
        <translation>服务器已满</translation>
    </message>
    <message>
        <source>not a groupchat server</source>
        <translation>不是 groupchat 服务器</translation>
    </message>
    <message>
        <source>connection lost</source>
        <translation>连接已断开</translation>
    </message>
    <message>
        <source>could not connect</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>This server needs a password. Ask whoever runs it, and enter it below the nick.</source>
        <translation>此服务器需要密码。请向服务器管理员索取，并在昵称下方输入。</translation>
    </message>
    <message>
        <source>The server did not accept the password.</source>
        <translation>服务器未接受该密码。</translation>
    </message>
    <message>
        <source>password needed</source>
        <translation>需要密码</translation>
    </message>
    <message>
        <source>wrong password</source>
        <translation>密码错误</translation>
    </message>
    <message>
        <source>the server showed no certificate</source>
        <translation>服务器未出示证书</translation>
    </message>
    <message>
        <source>No secure (TLS) connection could be made with %1 port %2 (%3). Check that the server serves TLS on this port (usually 6697; 6666 is plain), or turn TLS off.</source>
        <translation>无法与 %1 端口 %2 建立安全（TLS）连接（%3）。请检查服务器是否在此端口提供 TLS（通常为 6697；6666 为明文），或关闭 TLS。</translation>
    </message>
    <message>
        <source>no TLS on %1 port %2</source>
        <translation>%1 端口 %2 没有 TLS</translation>
    </message>
    <message>
        <source>certificate changed: refused</source>
        <translation>证书已更改：已拒绝</translation>
    </message>
    <message>
        <source>The nick %1 is not allowed. A nick is %2.</source>
        <translation>不允许使用昵称 %1。昵称须为%2。</translation>
    </message>
    <message>
        <source>%1 takes no more connections from your address for now. Close other connections to it, or try again in a minute.</source>
        <translation>%1 暂时不再接受来自你的地址的连接。请关闭到它的其他连接，或一分钟后再试。</translation>
    </message>
    <message>
        <source>The server&apos;s admin disconnected you (%1). Use Chat › Reconnect Now to join again.</source>
        <translation>服务器管理员断开了你的连接（%1）。使用“聊天 › 立即重新连接”可再次加入。</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>未说明原因</translation>
    </message>
    <message>
        <source>too many connections from your address</source>
        <translation>来自你的地址的连接过多</translation>
    </message>
    <message>
        <source>kicked by the admin</source>
        <translation>被管理员踢出</translation>
    </message>
    <message>
        <source>banned from this server</source>
        <translation>已被此服务器封禁</translation>
    </message>
    <message>
        <source>The nick %1 looks like %2, which someone on this server uses, so it could be taken for them. Choose another one.</source>
        <translation>昵称 %1 与此服务器上有人使用的 %2 看起来相似，可能被误认为是对方。请换一个昵称。</translation>
    </message>
    <message>
        <source>A nick is %1.</source>
        <translation>昵称须为%1。</translation>
    </message>
    <message>
        <source>The admin of %1 has banned the address you connect from. You cannot join that server again unless the admin lifts the ban.</source>
        <translation>%1 的管理员封禁了你连接所用的地址。除非管理员解除封禁，否则你无法再次加入该服务器。</translation>
    </message>
    <message>
        <source>Warning: the certificate of %1 port %2 has changed since you first connected. Someone may be intercepting the connection, so it was refused. If the server&apos;s admin made a new certificate, compare its fingerprint with the one below and use &quot;Forget the certificate&quot; in the connect dialog.</source>
        <translation>警告：%1 端口 %2 的证书自您首次连接以来已更改。可能有人在拦截连接，因此已拒绝连接。如果服务器管理员生成了新证书，请将其指纹与下面的指纹核对，然后在连接对话框中使用“忘记证书”。</translation>
    </message>
    <message>
        <source>Now: %1</source>
        <translation>当前：%1</translation>
    </message>
    <message>
        <source>Trusted: %1</source>
        <translation>已信任：%1</translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <source>Connect to a groupchat server</source>
        <translation>连接到 groupchat 服务器</translation>
    </message>
    <message>
        <source>Join the chat: enter the server the others use and the nick you want.</source>
        <translation>加入聊天：输入大家使用的服务器和你想用的昵称。</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>服务器(&amp;S)：</translation>
    </message>
    <message>
        <source>Host name or IP address of the server; earlier servers are in the list</source>
        <translation>服务器的主机名或 IP 地址；列表中有以前用过的服务器</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Nick:</source>
        <translation>昵称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>连接(&amp;C)</translation>
    </message>
    <message>
        <source>Enter the name or address of the server.</source>
        <translation>请输入服务器的名称或地址。</translation>
    </message>
    <message>
        <source>Connecting to %1 port %2…</source>
        <translation>正在连接 %1 端口 %2…</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>密码(&amp;W)：</translation>
    </message>
    <message>
        <source>only if the server asks for one</source>
        <translation>仅在服务器要求时填写</translation>
    </message>
    <message>
        <source>Not remembered: you are asked again next time</source>
        <translation>不会保存：下次连接时需重新输入</translation>
    </message>
    <message>
        <source>&amp;Encrypt the connection (TLS)</source>
        <translation>加密连接（TLS）(&amp;E)</translation>
    </message>
    <message>
        <source>For servers that offer TLS (usually on port 6697). The server&apos;s certificate is remembered the first time and checked every time after.</source>
        <translation>用于提供 TLS 的服务器（通常在 6697 端口）。首次连接时记住服务器的证书，之后每次都会核对。</translation>
    </message>
    <message>
        <source>&amp;Forget the certificate</source>
        <translation>忘记证书(&amp;F)</translation>
    </message>
    <message>
        <source>Trust the certificate the server shows next time, as on the first connection. Only do this when the server&apos;s admin told you it has a new one.</source>
        <translation>像首次连接时一样，信任服务器下次出示的证书。仅当服务器管理员告诉您有新证书时才这样做。</translation>
    </message>
    <message>
        <source>The certificate of %1 port %2 is forgotten: the next one it shows is trusted. Check its fingerprint with the server&apos;s admin.</source>
        <translation>已忘记 %1 端口 %2 的证书：下次出示的证书将被信任。请与服务器管理员核对其指纹。</translation>
    </message>
    <message>
        <source>Enter the server as a name or address, or several servers of one cluster separated by commas (host, host2:6667).</source>
        <translation>请输入服务器的名称或地址，或用逗号分隔的同一集群的多台服务器（host, host2:6667）。</translation>
    </message>
    <message>
        <source>your name, as others see it</source>
        <translation>你的名字，别人看到的样子</translation>
    </message>
    <message>
        <source>A nick is %1.</source>
        <translation>昵称须为%1。</translation>
    </message>
    <message>
        <source>Enter the nick others will know you by. A nick is %1.</source>
        <translation>请输入别人看到的你的昵称。昵称须为%1。</translation>
    </message>
    <message>
        <source>Certificate fingerprints</source>
        <translation>证书指纹</translation>
    </message>
    <message>
        <source>Now:</source>
        <translation>当前：</translation>
    </message>
    <message>
        <source>Trusted:</source>
        <translation>已信任：</translation>
    </message>
    <message>
        <source>Servers on this network</source>
        <translation>本网络中的服务器</translation>
    </message>
    <message>
        <source>Servers that announce themselves on this network; pick one to fill in the fields below</source>
        <translation>在本网络中公布自己的服务器；选择一个即可填好下面的各项</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Encrypted</source>
        <translation>加密</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>People</source>
        <translation>在线人数</translation>
    </message>
    <message>
        <source>Looking for servers on this network… Servers elsewhere (another network, a VPN) can be typed below.</source>
        <translation>正在查找本网络中的服务器…… 其他地方（别的网络、VPN）的服务器可以在下面直接输入。</translation>
    </message>
    <message>
        <source>yes (port %1)</source>
        <translation>是（端口 %1）</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>needed</source>
        <translation>需要</translation>
    </message>
    <message>
        <source>none</source>
        <translation>不需要</translation>
    </message>
    <message>
        <source>this server asks for a password</source>
        <translation>此服务器需要密码</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <source>Private conversation with %1</source>
        <translation>与 %1 的私聊</translation>
    </message>
    <message numerus="yes">
        <source>%1, %n unread</source>
        <translation>
            <numerusform>%1，%n 条未读</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <source>new messages</source>
        <translation>新消息</translation>
    </message>
    <message>
        <source>private to </source>
        <translation>私聊给 </translation>
    </message>
    <message>
        <source>private from </source>
        <translation>私聊自 </translation>
    </message>
    <message>
        <source>→ %1 joined</source>
        <translation>→ %1 加入了</translation>
    </message>
    <message>
        <source>← %1 left (%2)</source>
        <translation>← %1 离开了（%2）</translation>
    </message>
    <message>
        <source>%1 is now known as %2</source>
        <translation>%1 改名为 %2</translation>
    </message>
    <message>
        <source>Notice from the server admin: </source>
        <translation>服务器管理员通知：</translation>
    </message>
    <message numerus="yes">
        <source>↓ %n new message(s) below</source>
        <translation>
            <numerusform>↓ 下方有 %n 条新消息</numerusform>
        </translation>
    </message>
    <message>
        <source>Scroll down to the newest message</source>
        <translation>滚动到最新消息</translation>
    </message>
    <message>
        <source>Loading older messages…</source>
        <translation>正在加载更早的消息…</translation>
    </message>
    <message>
        <source>This is the beginning of the history.</source>
        <translation>这是历史记录的开头。</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>未发送：%1</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>DesktopNotifier</name>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
</context>
<context>
    <name>EmojiPicker</name>
    <message>
        <source>Emoji</source>
        <translation>表情符号</translation>
    </message>
    <message>
        <source>Search emoji (smile, heart, 笑)</source>
        <translation>搜索表情（笑、心）</translation>
    </message>
    <message>
        <source>Search emoji</source>
        <translation>搜索表情</translation>
    </message>
</context>
<context>
    <name>JoinRoomDialog</name>
    <message>
        <source>Join Room</source>
        <translation>加入聊天室</translation>
    </message>
    <message>
        <source>Join a room of this server, or name a new one to make it.</source>
        <translation>加入此服务器上的聊天室，或输入新名字来创建。</translation>
    </message>
    <message>
        <source>Rooms of this server</source>
        <translation>此服务器上的聊天室</translation>
    </message>
    <message>
        <source>&amp;Room:</source>
        <translation>聊天室(&amp;R)：</translation>
    </message>
    <message>
        <source>#room</source>
        <translation>#聊天室</translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation>加入(&amp;J)</translation>
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
        <source>Topic</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>There is no room %1 yet: joining makes it.</source>
        <translation>还没有聊天室 %1：加入即可创建。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>groupchat</source>
        <translation>groupchat</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Double-click someone to send them a private message</source>
        <translation>双击某人即可给对方发私聊消息</translation>
    </message>
    <message>
        <source>People online</source>
        <translation>在线用户</translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>查找：</translation>
    </message>
    <message>
        <source>Search the conversation</source>
        <translation>在对话中搜索</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一个</translation>
    </message>
    <message>
        <source>Find the previous match (Shift+F3)</source>
        <translation>查找上一个匹配项（Shift+F3）</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <source>Find the next match (F3)</source>
        <translation>查找下一个匹配项（F3）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close the find bar (Esc)</source>
        <translation>关闭查找栏（Esc）</translation>
    </message>
    <message>
        <source>Type a message, or /help for commands</source>
        <translation>输入消息，或输入 /help 查看命令</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Bytes used of the most the server accepts in one line</source>
        <translation>已用字节数 / 服务器单行允许的最大字节数</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>发送(&amp;S)</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>发送（Enter）</translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation>聊天(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>连接(&amp;C)…</translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation>Ctrl+N</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>断开连接(&amp;D)</translation>
    </message>
    <message>
        <source>Ctrl+D</source>
        <translation>Ctrl+D</translation>
    </message>
    <message>
        <source>&amp;Reconnect Now</source>
        <translation>立即重新连接(&amp;R)</translation>
    </message>
    <message>
        <source>F5</source>
        <translation>F5</translation>
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
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>Find &amp;Next</source>
        <translation>查找下一个(&amp;N)</translation>
    </message>
    <message>
        <source>F3</source>
        <translation>F3</translation>
    </message>
    <message>
        <source>Find &amp;Previous</source>
        <translation>查找上一个(&amp;P)</translation>
    </message>
    <message>
        <source>Shift+F3</source>
        <translation>Shift+F3</translation>
    </message>
    <message>
        <source>&amp;About groupchat</source>
        <translation>关于 groupchat(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <source>Reconnect now</source>
        <translation>立即重新连接</translation>
    </message>
    <message>
        <source>Online (%1)</source>
        <translation>在线（%1）</translation>
    </message>
    <message>
        <source>Not connected. Use Chat › Connect to join a server.</source>
        <translation>未连接。请使用“聊天 › 连接”加入服务器。</translation>
    </message>
    <message>
        <source>Disconnected: %1</source>
        <translation>已断开连接：%1</translation>
    </message>
    <message>
        <source>Connecting to %1 port %2…</source>
        <translation>正在连接 %1 端口 %2…</translation>
    </message>
    <message>
        <source>%1 @ %2 — groupchat</source>
        <translation>%1 @ %2 — groupchat</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>About groupchat</source>
        <translation>关于 groupchat</translation>
    </message>
    <message>
        <source>&lt;h3&gt;groupchat %1&lt;/h3&gt;&lt;p&gt;A small, fast group chat for teams and LANs.&lt;/p&gt;&lt;p&gt;Anyone can join with this client, or with &lt;tt&gt;nc HOST 6666&lt;/tt&gt;.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;groupchat %1&lt;/h3&gt;&lt;p&gt;一个小巧、快速的团队与局域网群聊工具。&lt;/p&gt;&lt;p&gt;任何人都可以用这个客户端加入，也可以用 &lt;tt&gt;nc 主机 6666&lt;/tt&gt;。&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <source>Reconnecting in %n s (%1)</source>
        <translation>
            <numerusform>%n 秒后重新连接（%1）</numerusform>
        </translation>
    </message>
    <message>
        <source>Online (%1, too many to list)</source>
        <translation>在线（%1 人，人数过多无法列出）</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>重新连接</translation>
    </message>
    <message>
        <source>Characters typed, and about how many this line can have</source>
        <translation>已输入的字符数，以及这一行大约最多可容纳的字符数</translation>
    </message>
    <message>
        <source>Characters typed</source>
        <translation>已输入的字符数</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Rooms you are in, then private conversations; the number counts unread messages, @ marks a mention of you</source>
        <translation>你所在的聊天室，然后是私聊；数字是未读消息数，@ 表示有人提到了你</translation>
    </message>
    <message>
        <source>Join Room…</source>
        <translation>加入聊天室…</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>&amp;Room</source>
        <translation>聊天室(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Join Room…</source>
        <translation>加入聊天室(&amp;J)…</translation>
    </message>
    <message>
        <source>Join a room of the server, or make a new one</source>
        <translation>加入服务器上的聊天室，或创建一个新的</translation>
    </message>
    <message>
        <source>Ctrl+J</source>
        <translation>Ctrl+J</translation>
    </message>
    <message>
        <source>&amp;Leave</source>
        <translation>离开(&amp;L)</translation>
    </message>
    <message>
        <source>Leave this room, or close this private conversation</source>
        <translation>离开此聊天室，或关闭此私聊</translation>
    </message>
    <message>
        <source>Ctrl+W</source>
        <translation>Ctrl+W</translation>
    </message>
    <message>
        <source>&amp;Mute Notifications</source>
        <translation>静音通知(&amp;M)</translation>
    </message>
    <message>
        <source>No notifications from this conversation; unread messages are still counted</source>
        <translation>不再接收此会话的通知；仍会统计未读消息</translation>
    </message>
    <message>
        <source>&amp;Next Conversation</source>
        <translation>下一个会话(&amp;N)</translation>
    </message>
    <message>
        <source>Ctrl+PgDown</source>
        <translation>Ctrl+PgDown</translation>
    </message>
    <message>
        <source>&amp;Previous Conversation</source>
        <translation>上一个会话(&amp;P)</translation>
    </message>
    <message>
        <source>Ctrl+PgUp</source>
        <translation>Ctrl+PgUp</translation>
    </message>
    <message>
        <source>&amp;Close Conversation</source>
        <translation>关闭会话(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Leave Room</source>
        <translation>离开聊天室(&amp;L)</translation>
    </message>
    <message>
        <source>Private conversation with %1</source>
        <translation>与 %1 的私聊</translation>
    </message>
    <message>
        <source>%1 — you left this room; Room › Join Room to come back</source>
        <translation>%1 — 你已离开此聊天室；使用“聊天室 › 加入聊天室”可回来</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Connected to %1 as %2</source>
        <translation>已连接到 %1，昵称 %2</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <source>Theme, font, time and language</source>
        <translation>主题、字体、时间和语言</translation>
    </message>
    <message>
        <source>Insert an emoji (Ctrl+;); or type :name and Tab</source>
        <translation>插入表情（Ctrl+;）；也可输入 :英文名 后按 Tab</translation>
    </message>
    <message>
        <source>Insert an emoji</source>
        <translation>插入表情</translation>
    </message>
    <message>
        <source>&amp;Notifications</source>
        <translation>通知(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Do Not Disturb</source>
        <translation>请勿打扰(&amp;D)</translation>
    </message>
    <message>
        <source>No notifications and no sound; unread messages are still counted</source>
        <translation>不弹出通知，也不播放声音；未读消息仍会计数</translation>
    </message>
    <message>
        <source>Play a &amp;Sound</source>
        <translation>播放提示音(&amp;S)</translation>
    </message>
    <message>
        <source>A sound with each notification</source>
        <translation>每条通知都播放一次提示音</translation>
    </message>
    <message>
        <source>Search &amp;History…</source>
        <translation>搜索历史记录(&amp;H)…</translation>
    </message>
    <message>
        <source>Search the messages of your rooms and private conversations on the server</source>
        <translation>在服务器上搜索你的聊天室和私聊中的消息</translation>
    </message>
    <message>
        <source>Ctrl+Shift+F</source>
        <translation>Ctrl+Shift+F</translation>
    </message>
    <message>
        <source>That message is older than what %1 shows now: scroll up to load it.</source>
        <translation>这条消息比 %1 当前显示的更早：向上滚动即可加载。</translation>
    </message>
    <message>
        <source>The server has lost its cluster: messages wait, and are delivered when it is back.</source>
        <translation>服务器与其集群失去了联系：消息会等待，集群恢复后再送达。</translation>
    </message>
    <message>
        <source>Server status</source>
        <translation>服务器状态</translation>
    </message>
</context>
<context>
    <name>MessageModel</name>
    <message>
        <source>[%1] %2: %3</source>
        <translation>[%1] %2：%3</translation>
    </message>
    <message>
        <source>[%1] * %2 %3</source>
        <translation>[%1] * %2 %3</translation>
    </message>
    <message>
        <source>[%1] (private) %2 → %3: %4</source>
        <translation>[%1]（私聊）%2 → %3：%4</translation>
    </message>
    <message>
        <source>[%1] %2 joined</source>
        <translation>[%1] %2 加入了</translation>
    </message>
    <message>
        <source>[%1] %2 left (%3)</source>
        <translation>[%1] %2 离开了（%3）</translation>
    </message>
    <message>
        <source>[%1] %2 is now known as %3</source>
        <translation>[%1] %2 改名为 %3</translation>
    </message>
    <message>
        <source>[%1] %2</source>
        <translation>[%1] %2</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>未发送：%1</translation>
    </message>
    <message>
        <source> (sending…)</source>
        <translation>（正在发送…）</translation>
    </message>
    <message>
        <source> (not sent: %1)</source>
        <translation>（未发送：%1）</translation>
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
    <name>PreferencesDialog</name>
    <message>
        <source>The desktop&apos;s font</source>
        <translation>桌面字体</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>As the desktop</source>
        <translation>跟随桌面</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> 磅</translation>
    </message>
    <message>
        <source>Conversation font</source>
        <translation>对话字体</translation>
    </message>
    <message>
        <source>Conversation font size</source>
        <translation>对话字号</translation>
    </message>
    <message>
        <source>As the language does</source>
        <translation>跟随语言</translation>
    </message>
    <message>
        <source>24-hour (14:05)</source>
        <translation>24 小时制（14:05）</translation>
    </message>
    <message>
        <source>12-hour (2:05 PM)</source>
        <translation>12 小时制（下午 2:05）</translation>
    </message>
    <message>
        <source>The system&apos;s</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>主题(&amp;T)：</translation>
    </message>
    <message>
        <source>Conversation &amp;font:</source>
        <translation>对话字体(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Time:</source>
        <translation>时间(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>Play a &amp;sound with each notification</source>
        <translation>每条通知都播放提示音(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Do not disturb: no notifications, no sound</source>
        <translation>请勿打扰：不弹通知，不播放声音(&amp;D)</translation>
    </message>
    <message>
        <source>Notifications:</source>
        <translation>通知：</translation>
    </message>
    <message>
        <source>A new language takes effect when groupchat starts again. Room › Mute Notifications silences one conversation.</source>
        <translation>新的语言在 groupchat 下次启动时生效。“聊天室 › 静音通知”可让单个对话不再通知。</translation>
    </message>
</context>
<context>
    <name>SearchDialog</name>
    <message>
        <source>&amp;Search</source>
        <translation>搜索(&amp;S)</translation>
    </message>
    <message>
        <source>Search History</source>
        <translation>搜索历史记录</translation>
    </message>
    <message>
        <source>Words to find in your rooms and private conversations</source>
        <translation>要在你的聊天室和私聊中查找的词语</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>发送者</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Not connected: nothing can be searched now.</source>
        <translation>未连接：现在无法搜索。</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>private with %1</source>
        <translation>与 %1 的私聊</translation>
    </message>
    <message>
        <source>Nothing found for %1.</source>
        <translation>没有找到“%1”。</translation>
    </message>
    <message numerus="yes">
        <source>The newest %n messages found; add words to find older ones.</source>
        <translation>
            <numerusform>找到了最新的 %n 条消息；添加词语可找到更早的消息。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) found. Double-click one to see it in its conversation.</source>
        <translation>
            <numerusform>找到 %n 条消息。双击一条即可在其对话中查看。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UserListModel</name>
    <message>
        <source>%1 (you)</source>
        <translation>%1（你）</translation>
    </message>
    <message>
        <source>%1, here since %2</source>
        <translation>%1，%2 起在线</translation>
    </message>
    <message>
        <source>%1, here since %2, on %3</source>
        <translation>%1，自 %2 起在线，位于 %3</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>The groupchat desktop client.</source>
        <translation>groupchat 桌面客户端。</translation>
    </message>
    <message>
        <source>Server port (default 6666).</source>
        <translation>服务器端口（默认 6666）。</translation>
    </message>
    <message>
        <source>Your nick.</source>
        <translation>你的昵称。</translation>
    </message>
    <message>
        <source>Encrypt the connection (TLS; servers usually offer it on port 6697).</source>
        <translation>加密连接（TLS；服务器通常在 6697 端口提供）。</translation>
    </message>
    <message>
        <source>Connect to &lt;host&gt; at once, skipping the dialog; several servers of one cluster: host1,host2:port,...</source>
        <translation>立即连接到 &lt;host&gt;，跳过对话框；同一集群的多台服务器：host1,host2:port,...</translation>
    </message>
    <message>
        <source>groupchat</source>
        <translation>groupchat 群聊</translation>
    </message>
</context>
</TS>

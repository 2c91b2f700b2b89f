-- Debian's lua-nginx-dns (nginx.dns.resolver 0.20, unmodified) against
-- dnsmasq: every record type dnsmasq serves here, a name that does not
-- exist, one it refuses, a TXT answer too big for UDP (truncated, then
-- asked again over TCP by the resolver itself), tcp_query, a reverse query
-- and the resolver's ngx.re based helpers.
return function(ctx)
  local resolver = ctx.load("nginx.dns.resolver")
  ctx.say("version ", resolver._VERSION)
  local r, err = resolver:new({
    nameservers = {{"127.0.0.1", ctx.env.dns_port}},
    retrans = 2,
    timeout = 2000,
  })
  ctx.say("new: ", r and "ok" or err)
  if not r then
    return
  end
  local queries = {
    {"www.test", "A"}, {"www.test", "AAAA"}, {"alias.test", "CNAME"},
    {"alias.test", "A"}, {"test", "MX"}, {"txt.test", "TXT"},
    {"_http._tcp.test", "SRV"}, {"1.0.0.10.in-addr.arpa", "PTR"},
    {"nothing.test", "A"}, {"example.com", "A"},
  }
  for _, q in ipairs(queries) do
    local answers, qerr = r:query(q[1], {qtype = resolver["TYPE_" .. q[2]]})
    ctx.say(q[1], " ", q[2], ": ", answers, " ", qerr)
  end

  -- 4 strings of 200 bytes: over the 512 bytes of a UDP answer
  local answers, qerr = r:query("big.test", {qtype = resolver.TYPE_TXT})
  if answers and answers[1] then
    local txt = answers[1].txt
    ctx.say("big.test TXT: ", #answers, " answer, ", #txt, " strings: ",
            txt[1], " ", txt[4])
  else
    ctx.say("big.test TXT: ", answers, " ", qerr)
  end

  ctx.show("tcp_query A", r:tcp_query("www.test", {qtype = resolver.TYPE_A}))
  ctx.show("tcp_query nothing", r:tcp_query("nothing.test"))
  ctx.show("reverse_query", r:reverse_query("10.0.0.1"))
  ctx.say("arpa_str: ", resolver.arpa_str("10.0.0.1"), " ",
          resolver.arpa_str("2001:db8::1"))
  ctx.say("compress_ipv6_addr: ",
          resolver.compress_ipv6_addr("2001:db8:0:0:0:0:0:1"), " ",
          resolver.compress_ipv6_addr("0:0:0:0:0:0:0:1"))
  ctx.show("expand_ipv6_addr", resolver.expand_ipv6_addr("2001:db8::1"))
end

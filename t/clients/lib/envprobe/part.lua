-- envprobe.part: required by envprobe; shares its environment
return {ngx = ngx, tcp = ngx.socket.tcp}

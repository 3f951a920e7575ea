module go.gumloop.com/gumloop

go 1.23

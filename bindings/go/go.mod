module gumloop

go 1.23

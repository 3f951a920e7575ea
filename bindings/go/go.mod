module gumloop

go 1.19

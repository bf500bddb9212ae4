from server.running.cli import main

main()

from bip_talk.cli import main

main()

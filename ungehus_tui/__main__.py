from ungehus_tui.cli import main

main()

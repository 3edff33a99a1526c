from tslcd.cli import main

main()

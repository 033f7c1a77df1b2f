@outbox
Feature: The serverless outbox
  The writer only writes to its database; the database emits the event. So
  a writer that dies right after its write still produces its event, and no
  event goes out for a write that did not happen. Two variants:

  CDC: AddBook/RemoveBook write the Books table; its stream feeds the
  ChangeProcessor, which puts BookAdded/BookRemoved on EventBridge.

    flowchart LR
      api[POST/DELETE /book] --> AddBook & RemoveBook --> Books[(Books)]
      Books -->|stream| ChangeProcessor -->|BookAdded / BookRemoved| bus{{outbox-demo bus}}
      bus --> BookAdded & BookRemoved

  Pipes: AddBook writes the book and its event in one TransactWriteItems;
  the Events table's stream feeds BookAddedPipe and BookRemovedPipe, which
  filter on the event type and shape the payload with an input template.
  The BookAdded consumer remembers each event id in a Presentation table for
  a short TTL (5 minutes) and acts once per event within it.

    flowchart LR
      AddBook -->|one transaction| Books[(Books)] & Events[(Events)]
      Events -->|stream| BookAddedPipe & BookRemovedPipe
      BookAddedPipe -->|filter + template| BookAdded -->|dedup| Presentation[(Presentation)]
      BookRemovedPipe -->|filter + template| BookRemoved

  Background:
    Given the contracts in "contracts/"
    And a "AddBook" request with:
      """
      {"name": "Team Topologies", "author": "Matthew Skelton, Manuel Pais", "isbn": "9781942788812"}
      """

  @cdc @fakes_only
  Scenario: Adding a book answers 201 and the stream emits BookAdded
    Given the bookshop is deployed with the "cdc" outbox
    When the book is posted
    And the system settles
    Then the response status is 201
    And exactly one "BookAdded" event is published
    And every published event conforms to its contract
    And the "Catalogue" item "Team Topologies" has "timesListed" equal to "1"

  @cdc @fakes_only
  Scenario: Removing a book answers 204 and the stream emits BookRemoved
    Given the bookshop is deployed with the "cdc" outbox
    And the book is posted
    When the book "Team Topologies" is deleted
    And the system settles
    Then the response status is 204
    And exactly one "BookRemoved" event is published
    And every published event conforms to its contract
    And the "Catalogue" table holds no items

  @cdc
  Scenario: A book that breaks the AddBook contract answers 400 and emits nothing
    Given the bookshop is deployed with the "cdc" outbox
    And the "AddBook" request with "isbn" set to "1942788819"
    Then the message breaks its contract at "/isbn"
    When the book is posted
    And the system settles
    Then the response status is 400
    And the "Books" table holds no items
    And no "BookAdded" event is published

  @cdc @fakes_only
  Scenario: The event is emitted even when the writer crashes right after its write
    Given the bookshop is deployed with the "cdc" outbox
    And the "AddBook" function crashes right after its 1st AWS call
    When the book is posted
    And the system settles
    Then the "Books" table holds 1 item
    And exactly one "BookAdded" event is published

  @cdc @fakes_only
  Scenario: A stream record delivered twice emits twice, and the consumer acts once
    Given the bookshop is deployed with the "cdc" outbox
    And every delivery on "stream:Books" is duplicated
    When the book is posted
    And the system settles
    Then 2 "BookAdded" events are published
    And the "BookAdded" function ran twice
    And the "Catalogue" item "Team Topologies" has "timesListed" equal to "1"

  @pipes @fakes_only
  Scenario: The book and its event are written together and the pipe delivers BookAdded
    Given the bookshop is deployed with the "pipes" outbox
    When the book is posted
    And the system settles
    Then the response status is 201
    And the "Books" table holds 1 item
    And the "Events" table holds 1 item
    And the "BookAdded" function ran once
    And every payload the "BookAdded" function received conforms to one of "BookAdded"
    And the "Catalogue" item "Team Topologies" has "timesListed" equal to "1"

  @pipes @fakes_only
  Scenario: Each pipe's filter lets only its own event type through
    Given the bookshop is deployed with the "pipes" outbox
    And the book is posted
    When the book "Team Topologies" is deleted
    And the system settles
    Then the response status is 204
    And the "BookAdded" function ran once
    And the "BookRemoved" function ran once
    And every payload the "BookRemoved" function received conforms to one of "BookRemoved"
    And the "Events" table holds 2 items

  @pipes @fakes_only
  Scenario: The dedup consumer acts once when the pipe delivers an event twice
    Given the bookshop is deployed with the "pipes" outbox
    And every delivery on "pipe:BookAddedPipe" is duplicated
    When the book is posted
    And the system settles
    Then the "BookAdded" function ran twice
    And the "Catalogue" item "Team Topologies" has "timesListed" equal to "1"

  @pipes @fakes_only
  Scenario: Within the TTL a redelivered event is skipped
    Given the bookshop is deployed with the "pipes" outbox
    And the book is posted
    And the system settles
    When the virtual clock advances 4 minutes
    And the last BookAdded is delivered to its consumer again
    Then the "Catalogue" item "Team Topologies" has "timesListed" equal to "1"

  @pipes @fakes_only
  Scenario: After the TTL the consumer no longer remembers the event
    Given the bookshop is deployed with the "pipes" outbox
    And the book is posted
    And the system settles
    When the virtual clock advances 6 minutes
    And the last BookAdded is delivered to its consumer again
    Then the "Catalogue" item "Team Topologies" has "timesListed" equal to "2"

  @pipes @fakes_only
  Scenario: With Pipes too, the event survives a writer crash right after its transaction
    Given the bookshop is deployed with the "pipes" outbox
    And the "AddBook" function crashes right after its 1st AWS call
    When the book is posted
    And the system settles
    Then the "Events" table holds 1 item
    And the "BookAdded" function ran once

  @pipes
  Scenario: Removing a book that is not there emits nothing
    Given the bookshop is deployed with the "pipes" outbox
    When the book "No Such Book" is deleted
    And the system settles
    Then the response status is 204
    And the "Events" table holds no items

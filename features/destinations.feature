@destinations
Feature: Lambda Destinations
  The order function is invoked asynchronously. Lambda, not our code, sends
  its result onward as an execution record: on success to update-inventory
  (whose own success record goes to the order-notifications topic), on
  failure after the configured retries to the rollback function. Each
  function does one thing and knows nothing of the next; the wiring is
  configuration (put-function-event-invoke-config).

    flowchart LR
      shop -->|OrderPlaced, async| order
      order -->|OnSuccess record| inventory[update-inventory]
      order -.->|OnFailure record, after 2 retries| rollback
      inventory -->|OnSuccess record| topic{{order-notifications}}
      inventory -.->|OnFailure record, after 1 retry| rollback
      rollback -->|OrderRolledBack| topic

  Background:
    Given the contracts in "contracts/"
    And the order system is deployed with 5 of "BOK-0001" in stock

  Scenario: The order function records an order and confirms it
    Given an order of 2 "BOK-0001" at 19.95 EUR
    When the "order" function is invoked with it
    Then the response conforms to the "OrderConfirmed" contract
    And the "Orders" item "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f" has "status" equal to "CONFIRMED"

  @fakes_only
  Scenario: A processed order reaches update-inventory and is announced
    Given an order of 2 "BOK-0001" at 19.95 EUR
    When the "order" function is invoked asynchronously
    And the system settles
    Then the OnSuccess destination of "order" receives a "Success" record
    And the OnSuccess destination of "update-inventory" receives a "Success" record
    And the "Inventory" item "BOK-0001" has "stock" equal to "3"
    And the order-notifications topic announced one "InventoryUpdated"
    And every published event conforms to its contract

  @fakes_only
  Scenario: Too little stock exhausts update-inventory's retries and rolls the order back
    Given an order of 6 "BOK-0001" at 10.00 EUR
    When the "order" function is invoked asynchronously
    And the system settles
    Then the OnFailure destination of "update-inventory" receives a "RetriesExhausted" record
    And the "update-inventory" function ran twice
    And the "rollback" function ran once
    And the "Orders" item "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f" has "status" equal to "ROLLED_BACK"
    And the "Inventory" item "BOK-0001" has "stock" equal to "5"
    And exactly one "OrderRolledBack" event is published
    And every published event conforms to its contract

  @fakes_only
  Scenario: An order that breaks its contract is retried twice, then rolled back
    Given an order of 2 "BOK-0001" at 19.95 EUR
    And the "OrderPlaced" event with "items" set to []
    Then the message breaks its contract at "/items"
    When the "order" function is invoked asynchronously
    And the system settles
    Then the "order" function ran 3 times
    And the OnFailure destination of "order" receives a "RetriesExhausted" record
    And the "update-inventory" function ran never
    And exactly one "OrderRolledBack" event is published

  @fakes_only
  Scenario: An order delivered twice takes its stock once
    Given every delivery on "lambda:order" is duplicated
    And an order of 2 "BOK-0001" at 19.95 EUR
    When the "order" function is invoked asynchronously
    And the system settles
    Then the "order" function ran twice
    And the "update-inventory" function ran twice
    And the "Inventory" item "BOK-0001" has "stock" equal to "3"

  @fakes_only
  Scenario: A failed first attempt is retried a minute later and succeeds
    Given the "order" function crashes right before its 1st AWS call
    And an order of 1 "BOK-0001" at 19.95 EUR
    When the "order" function is invoked asynchronously
    And the system settles
    Then the "order" function ran twice
    And the OnSuccess destination of "order" receives a "Success" record
    And the "Inventory" item "BOK-0001" has "stock" equal to "4"

  @fakes_only
  Scenario: A rollback record delivered twice rolls back once
    Given every delivery on "lambda:rollback" is duplicated
    And an order of 6 "BOK-0001" at 10.00 EUR
    When the "order" function is invoked asynchronously
    And the system settles
    Then the "rollback" function ran twice
    And exactly one "OrderRolledBack" event is published

  @fakes_only
  Scenario: An order that cannot run within its maximum age is rolled back as EventAgeExceeded
    Given the "order" function is throttled
    And an order of 1 "BOK-0001" at 19.95 EUR
    When the "order" function is invoked asynchronously
    And the system settles
    Then the OnFailure destination of "order" receives a "EventAgeExceeded" record
    And exactly one "OrderRolledBack" event is published
    And every published event conforms to its contract

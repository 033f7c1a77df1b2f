@command_dispatch
Feature: The serverless command pattern
  One Lambda entry point takes {commandType, payload}, finds the one command
  registered for that type, validates the payload against the command's
  contract and executes it: 200 with what it did, 400 for a payload that
  breaks its contract or an unknown type (listing the known ones), 500 for
  anything unexpected (logged, never leaked). Use it when many semantically
  related but structurally different requests share one front door.

    flowchart LR
      client -->|DispatchCommand| dispatcher[command-dispatcher]
      dispatcher -->|CREATE_USER / DELETE_USER| Users[(Users)]
      dispatcher -->|PROCESS_ORDER| Orders[(Orders)]
      dispatcher -->|ProcessPayment| payments[[payment-processing queue]]
      dispatcher -->|REFUND_ORDER| Orders
      dispatcher -->|OrderRefunded| topic{{refund-notification topic}}

  Background:
    Given the contracts in "contracts/"
    And the command dispatcher is deployed

  Scenario: Creating a user answers 200 and stores the user
    Given a "DispatchCommand" request with:
      """
      {"commandType": "CREATE_USER",
       "payload": {"userId": "3f1c2b9a-8d4e-4f6a-9b7c-1e2d3c4b5a69", "name": "Ada Lovelace",
                   "email": "ada@example.com", "marketingOptIn": true}}
      """
    When the "command-dispatcher" function is invoked with it
    Then the response status is 200
    And the response conforms to the "DispatchSucceeded" contract
    And the "Users" table holds 1 item

  Scenario: Processing an order records it and asks the payment service to charge it
    Given a "DispatchCommand" request for the order "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f"
    When the "command-dispatcher" function is invoked with it
    Then the response status is 200
    And the response conforms to the "DispatchSucceeded" contract
    And the "Orders" item "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f" has "status" equal to "PROCESSING"
    And the "payment-processing" queue holds one "ProcessPayment" message

  Scenario: Refunding an order marks it REFUNDED and notifies the refund topic
    Given the order "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f" is being processed
    And a "DispatchCommand" request with:
      """
      {"commandType": "REFUND_ORDER",
       "payload": {"orderId": "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f",
                   "refundAmount": {"amount": 10.5, "currency": "EUR"}, "reason": "damaged"}}
      """
    When the "command-dispatcher" function is invoked with it
    Then the response status is 200
    And the "Orders" item "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f" has "status" equal to "REFUNDED"
    And exactly one "OrderRefunded" event is published
    And every published event conforms to its contract

  Scenario: A payload that breaks its command's contract answers 400 and changes nothing
    Given a "DispatchCommand" request for the order "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f"
    And the order in the request has no items
    When the "command-dispatcher" function is invoked with it
    Then the response status is 400
    And the response conforms to the "DispatchRejected" contract
    And the answer reports a violation at "/items"
    And the "Orders" table holds no items
    And the "payment-processing" queue holds no messages

  Scenario: An unknown command type answers 400 with the known types
    Given a "DispatchCommand" request with:
      """
      {"commandType": "ARCHIVE_ORDER", "payload": {}}
      """
    When the "command-dispatcher" function is invoked with it
    Then the response status is 400
    And the response conforms to the "DispatchRejected" contract
    And the answer lists the known command types CREATE_USER, DELETE_USER, PROCESS_ORDER, REFUND_ORDER

  Scenario: A request that is not a command envelope answers 400
    Given a "DispatchCommand" request with:
      """
      {"commandType": "PROCESS_ORDER", "payload": "not an object"}
      """
    When the "command-dispatcher" function is invoked with it
    Then the response status is 400
    And the response conforms to the "DispatchRejected" contract
    And the message breaks its contract at "/payload"

  Scenario: A ProcessOrder delivered three times records one order and one payment request
    Given a "DispatchCommand" request for the order "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f"
    When the "command-dispatcher" function is invoked with it
    And it is delivered 3 times
    Then the response status is 200
    And the "Orders" table holds 1 item
    And the "payment-processing" queue holds one "ProcessPayment" message

  Scenario: A refund delivered twice notifies once
    Given the order "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f" is being processed
    And a "DispatchCommand" request with:
      """
      {"commandType": "REFUND_ORDER",
       "payload": {"orderId": "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f",
                   "refundAmount": {"amount": 39.9, "currency": "EUR"}, "reason": null}}
      """
    When the "command-dispatcher" function is invoked with it
    And it is delivered 2 times
    Then exactly one "OrderRefunded" event is published

  Scenario: Refunding an order that does not exist is refused with 400
    Given a "DispatchCommand" request with:
      """
      {"commandType": "REFUND_ORDER",
       "payload": {"orderId": "5b7c9d1e-2f3a-4b5c-8d6e-7f8091a2b3c4",
                   "refundAmount": {"amount": 5, "currency": "USD"}, "reason": null}}
      """
    When the "command-dispatcher" function is invoked with it
    Then the response status is 400
    And the response conforms to the "DispatchRejected" contract
    And no "OrderRefunded" event is published

  Scenario: An unexpected failure answers 500 without leaking what broke
    Given the "Orders" table has been deleted
    And a "DispatchCommand" request for the order "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f"
    When the "command-dispatcher" function is invoked with it
    Then the response status is 500
    And the response conforms to the "DispatchFailed" contract
    And the answer does not mention "Orders"

  Scenario: Deleting a user twice is not an error
    Given a "DispatchCommand" request with:
      """
      {"commandType": "DELETE_USER",
       "payload": {"userId": "3f1c2b9a-8d4e-4f6a-9b7c-1e2d3c4b5a69", "reason": "GDPR_ERASURE"}}
      """
    When the "command-dispatcher" function is invoked with it
    And it is delivered 2 times
    Then the response status is 200
    And the response conforms to the "DispatchSucceeded" contract
